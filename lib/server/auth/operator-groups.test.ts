import { describe, expect, it } from "vitest";
import { parseGroups } from "@/lib/auth/roles";
import { setOperatorGroups, type OperatorEntry } from "@/scripts/operators";
import { OperatorsFileSchema } from "./operators";

const entry = (groups?: string[]): OperatorEntry => ({
  username: "ana",
  name: "ANA",
  roles: ["approver"],
  passwordHash: "$2b$10$abcdefghijklmnopqrstuv",
  ...(groups ? { groups } : {}),
});

describe("an operator's approver groups", () => {
  it("are optional in the operators file, and must be group names", () => {
    expect(OperatorsFileSchema.safeParse({ operators: [entry(), entry(["security"])] }).success).toBe(true);
    expect(OperatorsFileSchema.safeParse({ operators: [entry(["sec urity"])] }).success).toBe(false);
  });

  it("are set by the CLI from a comma list, refused when a name is not a group name, and cleared without any", () => {
    const operator = entry();
    expect(setOperatorGroups(operator, "security,platform,security")).toEqual(["security", "platform"]);
    expect(operator.groups).toEqual(["security", "platform"]);
    expect(() => setOperatorGroups(operator, "security,$root")).toThrow(/"\$root" is not a group name/);
    expect(operator.groups).toEqual(["security", "platform"]);
    expect(setOperatorGroups(operator, undefined)).toEqual([]);
    expect(operator).not.toHaveProperty("groups");
  });

  it.each([
    [
      ["security", "platform"],
      ["security", "platform"],
    ],
    ["security, platform sre", ["security", "platform", "sre"]],
    [["security", 7, "no spaces allowed"], ["security"]],
    [undefined, []],
    [{ groups: ["security"] }, []],
  ])("reads the OIDC claim %j as %j", (claim, groups) => {
    expect(parseGroups(claim)).toEqual(groups);
  });
});
