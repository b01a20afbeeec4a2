import { describe, expect, it } from "vitest";
import { pollUntil } from "@/restate/test/poll-until";

describe("pollUntil", () => {
  it("returns what the check returns once it passes, asking more and more rarely up to the ceiling", async () => {
    const asked: number[] = [];
    const value = await pollUntil(
      () => {
        asked.push(Date.now());
        if (asked.length < 6) throw new Error("not yet");
        return "done";
      },
      { firstMs: 20, maxMs: 50 },
    );
    expect(value).toBe("done");
    const gaps = asked.slice(1).map((at, i) => at - asked[i]!);
    // 20, 30, 45, then the 50 ms ceiling: each gap at least what was asked (timers never fire early).
    expect(gaps.map((gap, i) => gap >= [20, 30, 45, 50, 50][i]! - 1)).toEqual([true, true, true, true, true]);
  });

  it("throws the check's last error when the time is up", async () => {
    let tries = 0;
    await expect(
      pollUntil(
        () => {
          tries += 1;
          throw new Error(`still failing after ${tries}`);
        },
        { timeoutMs: 120, firstMs: 10, maxMs: 20 },
      ),
    ).rejects.toThrow(/still failing after \d+/);
    expect(tries).toBeGreaterThan(2);
  });
});
