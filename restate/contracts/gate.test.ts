import { describe, expect, it } from "vitest";
import { gateDecided, rejectionRefusal } from "./gate";

const yes = { approved: true };
const no = { approved: false };

describe("gateDecided", () => {
  it.each([
    [[], 1, false],
    [[yes], 1, true],
    [[no], 1, true],
    [[yes], 2, false],
    [[no], 2, true],
    [[yes, yes], 2, true],
    [[yes, no], 2, true],
    [[yes, yes], 3, false],
  ])("%j with %i required: %s", (approvals, required, decided) => {
    expect(gateDecided(approvals, required)).toBe(decided);
  });
});

describe("rejectionRefusal", () => {
  it.each([
    [{ approved: false }, "A rejection needs a comment saying why."],
    [{ approved: false, comment: "  \n" }, "A rejection needs a comment saying why."],
    [{ approved: false, comment: "breaks the build" }, null],
    [{ approved: true }, null],
  ])("%j → %s", (decision, refusal) => {
    expect(rejectionRefusal(decision)).toBe(refusal);
  });
});
