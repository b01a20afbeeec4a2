import { describe, expect, it } from "vitest";
import { GITHUB_WEBHOOK_SUBMITTER } from "@/lib/auth/roles";
import { newOperator } from "@/scripts/operators";
import { OperatorsFileSchema } from "./operators";

describe("the name the console submits GitHub's alerts under", () => {
  const entry = { username: GITHUB_WEBHOOK_SUBMITTER, name: "Impostor", roles: ["approver"], passwordHash: "$2b$10$abcdefghijklmnopqrstuv" };

  it("cannot be an operator's: the operators file with it is refused, as is the CLI's add", () => {
    const parsed = OperatorsFileSchema.safeParse({ operators: [entry] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/reserved/);
    expect(() => newOperator(GITHUB_WEBHOOK_SUBMITTER, ["approver"], "Impostor")).toThrow(/reserved/);
  });

  it("leaves other names alone", () => {
    expect(OperatorsFileSchema.safeParse({ operators: [{ ...entry, username: "github-webhooks" }] }).success).toBe(true);
  });
});
