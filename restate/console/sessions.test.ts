import { describe, expect, it } from "vitest";
import { keptSessions, MAX_SESSIONS_PER_OPERATOR } from "./sessions";

describe("keptSessions", () => {
  it("drops expired sessions and keeps open ones", () => {
    expect(keptSessions({ old: 999, now: 1000, open: 1001 }, 1000)).toEqual({ open: 1001 });
  });

  it("keeps at most the newest sessions of one operator: the oldest end first", () => {
    const many = Object.fromEntries(Array.from({ length: MAX_SESSIONS_PER_OPERATOR + 5 }, (_, i) => [`s${i}`, 2000 + i]));
    const kept = keptSessions(many, 1000);
    expect(Object.keys(kept)).toHaveLength(MAX_SESSIONS_PER_OPERATOR);
    expect(kept).not.toHaveProperty("s0");
    expect(kept).toHaveProperty(`s${MAX_SESSIONS_PER_OPERATOR + 4}`);
  });
});
