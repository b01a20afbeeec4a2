import { describe, expect, it } from "vitest";
import { setOperatorEmail, type OperatorEntry } from "@/scripts/operators";
import { OperatorsFileSchema } from "./operators";

const entry = (username: string, email?: string): OperatorEntry => ({
  username,
  name: username.toUpperCase(),
  roles: ["approver"],
  passwordHash: "$2b$10$abcdefghijklmnopqrstuv",
  ...(email ? { email } : {}),
});

describe("an operator's e-mail, which maps a Slack user to them", () => {
  it("is optional, and one address belongs to one operator in the operators file", () => {
    expect(OperatorsFileSchema.safeParse({ operators: [entry("ana", "ana@example.com"), entry("bo")] }).success).toBe(true);
    const twice = OperatorsFileSchema.safeParse({ operators: [entry("ana", "ana@example.com"), entry("bo", "ANA@example.com")] });
    expect(twice.error?.issues[0]?.message).toMatch(/same e-mail/);
    expect(OperatorsFileSchema.safeParse({ operators: [entry("ana", "not an address")] }).success).toBe(false);
  });

  it("is set lowercased by the CLI, refused when another operator has it or it is no address, and cleared without one", () => {
    const operators = [entry("ana"), entry("bo", "bo@example.com")];
    expect(setOperatorEmail(operators, operators[0]!, " Ana@Example.com ")).toBe("ana@example.com");
    expect(operators[0]?.email).toBe("ana@example.com");
    expect(() => setOperatorEmail(operators, operators[0]!, "BO@example.com")).toThrow(/is bo's already/);
    expect(() => setOperatorEmail(operators, operators[0]!, "ana")).toThrow(/not an e-mail address/);
    expect(setOperatorEmail(operators, operators[0]!, undefined)).toBeUndefined();
    expect(operators[0]).not.toHaveProperty("email");
  });
});
