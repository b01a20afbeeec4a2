import { describe, expect, it } from "vitest";
import type { FindingSummary } from "@/lib/api/contracts";
import { ENDED_RUN_TTL_MS, ENDED_RUNS_KEPT, endedRunSummary, keepEndedRun } from "./ended-runs";

const summary = (n: number, id = `cve-${n}`): FindingSummary => ({
  id,
  invocationId: `inv_${n}`,
  severity: "low",
  repo: "web-storefront",
  source: "snyk",
  description: "outdated lodash",
  stage: "completed",
  refusal: null,
  invocationStatus: "completed",
  currentRung: null,
  lastVerdict: null,
  waitingSince: null,
  createdAt: "2026-11-29T10:00:00.000Z",
  endedAt: "2026-11-29T10:00:05.000Z",
});

describe("ended runs' summaries kept by a console process", () => {
  it("gives back a kept summary until its time is up, then asks the engine again", () => {
    const now = 1_000_000;
    keepEndedRun(summary(1), now);
    expect(endedRunSummary("inv_1", "cve-1", now + ENDED_RUN_TTL_MS - 1)?.stage).toBe("completed");
    expect(endedRunSummary("inv_1", "cve-1", now + ENDED_RUN_TTL_MS)).toBeUndefined();
    expect(endedRunSummary("inv_1", "cve-1", now)).toBeUndefined();
  });

  it("does not answer for an invocation named with another workflow key", () => {
    keepEndedRun(summary(2));
    expect(endedRunSummary("inv_2", "someone-elses-finding")).toBeUndefined();
  });

  it("keeps at most ENDED_RUNS_KEPT, dropping the oldest first", () => {
    for (let n = 10; n < 10 + ENDED_RUNS_KEPT + 5; n++) keepEndedRun(summary(n));
    expect(endedRunSummary("inv_10", "cve-10")).toBeUndefined();
    expect(endedRunSummary("inv_14", "cve-14")).toBeUndefined();
    expect(endedRunSummary("inv_15", "cve-15")?.id).toBe("cve-15");
    expect(endedRunSummary(`inv_${9 + ENDED_RUNS_KEPT + 5}`, `cve-${9 + ENDED_RUNS_KEPT + 5}`)?.id).toBe(`cve-${9 + ENDED_RUNS_KEPT + 5}`);
  });
});
