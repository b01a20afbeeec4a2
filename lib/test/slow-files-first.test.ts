import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "@/scripts/stack";
import { SLOW_INTEGRATION_FILES, slowFilesFirst } from "./slow-files-first";

const at = (path: string) => ({ moduleId: join(projectRoot, path) });

describe("the integration tier's order", () => {
  it("starts the listed slow files first, longest first, and keeps the order of the others", () => {
    const given = [
      at("app/api/hostile-input.test.ts"),
      at("restate/test/faults/engine-crash.test.ts"),
      at("restate/test/audit-log.test.ts"),
      at("restate/test/run-index.test.ts"),
    ];
    expect(slowFilesFirst(given).map((file) => file.moduleId.slice(projectRoot.length + 1))).toEqual([
      "restate/test/run-index.test.ts",
      "restate/test/faults/engine-crash.test.ts",
      "app/api/hostile-input.test.ts",
      "restate/test/audit-log.test.ts",
    ]);
  });

  it("matches whole paths, not a file whose name ends the same", () => {
    const given = [at("lib/other-run-index.test.ts"), at("restate/test/remediation-workflow.test.ts")];
    expect(slowFilesFirst(given).map((file) => file.moduleId)).toEqual([given[1]!.moduleId, given[0]!.moduleId]);
  });

  it("lists only files that exist (a renamed file would silently lose its place)", () => {
    expect(SLOW_INTEGRATION_FILES.filter((path) => !existsSync(join(projectRoot, path)))).toEqual([]);
  });
});
