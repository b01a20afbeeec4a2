// Logs and the outside world's ledger carry signed approvals and operator names: owner-only files,
// including ones an older version left readable by everyone.
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ledger } from "@/restate/adapters/stubs/ledger";
import { launch } from "./stack";

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe("file modes", () => {
  it.each([["a new log"], ["a log left world-readable"]])("a process's log is 0600: %s", async (what) => {
    const logFile = join(mkdtempSync(join(tmpdir(), "console-logs-")), "logs", "echo.log");
    if (what !== "a new log") {
      mkdirSync(dirname(logFile), { recursive: true });
      writeFileSync(logFile, "", { mode: 0o644 });
      chmodSync(logFile, 0o644);
    }
    const proc = launch("echo", process.execPath, ["-e", "console.log('approver=ana signature=abc')"], {}, { logFile });
    await proc.exited;
    expect(modeOf(logFile)).toBe(0o600);
  });

  it.each([["a new ledger"], ["a ledger left world-readable"]])("the outside world's ledger is 0600: %s", (what) => {
    const file = join(mkdtempSync(join(tmpdir(), "console-ledger-")), "outside-world.jsonl");
    if (what !== "a new ledger") {
      writeFileSync(file, "");
      chmodSync(file, 0o644);
    }
    new Ledger(file).note("audit", "export", "cve-1", "key-1", { signature: "abc" });
    expect(modeOf(file)).toBe(0o600);
  });
});
