import { describe, expect, it } from "vitest";
import { eligibleGroups, inEligibleGroup } from "./eligible-groups";

const deadline = { withinMs: 3_600_000, remindAt: [0.5], escalateTo: ["platform"], graceMs: 600_000 };

describe("eligibleGroups", () => {
  it.each([
    ["no decision recorded", null, undefined, null],
    ["a rule without groups", { approverGroups: undefined }, undefined, null],
    ["an empty group list", { approverGroups: [] }, undefined, null],
    [
      "the rule's groups before the deadline",
      { approverGroups: ["security"], deadline },
      { dueAt: "2026-01-01T01:00:00.000Z" } as { escalatedAt?: string },
      ["security"],
    ],
    [
      "the escalation groups added once escalated",
      { approverGroups: ["security"], deadline },
      { escalatedAt: "2026-01-01T00:00:00.000Z" },
      ["security", "platform"],
    ],
    ["escalated without escalation groups", { approverGroups: ["security"] }, { escalatedAt: "2026-01-01T00:00:00.000Z" }, ["security"]],
    [
      "no duplicates when a group is in both",
      { approverGroups: ["security", "platform"], deadline },
      { escalatedAt: "2026-01-01T00:00:00.000Z" },
      ["security", "platform"],
    ],
    ["anyone stays anyone after escalation", { deadline }, { escalatedAt: "2026-01-01T00:00:00.000Z" }, null],
  ])("%s", (_name, signoff, state, expected) => {
    expect(eligibleGroups(signoff, state)).toEqual(expected);
  });
});

describe("inEligibleGroup", () => {
  it("lets anyone decide an open gate, and only members decide a gate with groups", () => {
    expect(inEligibleGroup(null, [])).toBe(true);
    expect(inEligibleGroup(["security"], ["dev", "security"])).toBe(true);
    expect(inEligibleGroup(["security"], ["dev"])).toBe(false);
    expect(inEligibleGroup(["security"], [])).toBe(false);
  });
});
