import { describe, expect, it } from "vitest";
import { can, parseRoles } from "./roles";

describe("roles", () => {
  it.each([
    [["viewer"], "read", true],
    [["viewer"], "submit", false],
    [["viewer"], "approve", false],
    [["submitter"], "submit", true],
    [["submitter"], "approve", false],
    [["approver"], "approve", true],
    [["approver"], "submit", false],
    [["admin"], "approve", true],
    [["admin"], "submit", true],
    [["submitter", "approver"], "approve", true],
  ] as const)("%o may %s: %s", (roles, permission, expected) => {
    expect(can(roles, permission)).toBe(expected);
  });

  it("reads roles from lists and strings, dropping unknown names", () => {
    expect(parseRoles(["approver", "root"])).toEqual(["approver"]);
    expect(parseRoles("viewer, submitter admin")).toEqual(["viewer", "submitter", "admin"]);
    expect(parseRoles(42)).toEqual([]);
  });
});
