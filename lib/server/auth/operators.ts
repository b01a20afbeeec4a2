// Local operator accounts: a JSON file of usernames, display names, roles and bcrypt hashes. No
// plaintext password is ever stored; `npm start` creates the file with a first admin, and
// `npm run operators` adds, lists and removes operators. The file is re-read when it changes.
import "server-only";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import bcrypt from "bcryptjs";
import { z } from "zod";
import { RESERVED_USERNAMES, RoleSchema, type Role } from "@/lib/auth/roles";
import { GroupNameSchema } from "@/restate/contracts/policy";
import { serverEnv } from "../env";

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export const OperatorRecordSchema = z.object({
  username: z
    .string()
    .regex(USERNAME_PATTERN)
    .refine((name) => !RESERVED_USERNAMES.includes(name), { message: "is reserved for the console's own submissions" }),
  name: z.string().min(1).max(200),
  roles: z.array(RoleSchema).min(1),
  /** bcrypt hash ($2a$/$2b$, cost 10 or more). */
  passwordHash: z.string().regex(/^\$2[aby]\$\d{2}\$/),
  /** Matches the operator's Slack account (users.info's e-mail) for sign-off from Slack; optional. */
  email: z.email().max(254).optional(),
  /** The approver groups the operator belongs to (a policy rule's `from`); read at each request, so a change applies at once. */
  groups: z.array(GroupNameSchema).optional(),
  /** When `npm run operators -- add` made the account (absent in files from older versions). */
  createdAt: z.string().optional(),
});
export type OperatorRecord = z.infer<typeof OperatorRecordSchema>;
export const OperatorsFileSchema = z.object({
  operators: z.array(OperatorRecordSchema).refine(
    (operators) => {
      const emails = operators.flatMap((operator) => (operator.email ? [operator.email.toLowerCase()] : []));
      return new Set(emails).size === emails.length;
    },
    { message: "two operators have the same e-mail: it maps one Slack user to one operator" },
  ),
});

let cache: { file: string; mtimeMs: number; operators: OperatorRecord[] } | undefined;

export function loadOperators(): OperatorRecord[] {
  const file = serverEnv().OPERATORS_FILE;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  if (cache?.file !== file || cache.mtimeMs !== mtimeMs) {
    const parsed = OperatorsFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) throw new Error(`${file} is not a valid operators file: ${parsed.error.message}`);
    cache = { file, mtimeMs, operators: parsed.data.operators };
  }
  return cache.operators;
}

export function findOperator(username: string): OperatorRecord | undefined {
  return loadOperators().find((operator) => operator.username === username);
}

/** The operator with this e-mail address (case does not matter), or undefined. */
export function findOperatorByEmail(email: string): OperatorRecord | undefined {
  const wanted = email.trim().toLowerCase();
  return loadOperators().find((operator) => operator.email?.toLowerCase() === wanted);
}

// A real hash of a password no operator has, at the cost `npm run operators` hashes with (12), so an
// unknown username costs as much time as a wrong password. Written out rather than made at load: hashing
// it took a quarter of a second of every console process's start.
export const DUMMY_HASH = "$2b$12$8dQfS9/hmIm.ncHyM0ldTeOXZAKnbmcRtfSAZ6R7AP.7f57BqDFk2";

/** The operator whose password this is, or null; takes bcrypt's time either way. */
export async function verifyPassword(username: string, password: string): Promise<{ username: string; name: string; roles: Role[]; groups: string[] } | null> {
  const operator = findOperator(username);
  const matches = await bcrypt.compare(password, operator?.passwordHash ?? DUMMY_HASH);
  return operator && matches ? { username: operator.username, name: operator.name, roles: operator.roles, groups: operator.groups ?? [] } : null;
}

/**
 * What a session remembers of the operator record it was started from. A change of roles or password,
 * or removing the operator and adding them again, changes it, and the session ends (session.ts).
 * Sealed into the cookie, so it is never shown; a hash, so even a leaked seal says nothing of the record.
 */
export function operatorFingerprint(operator: OperatorRecord): string {
  const record = JSON.stringify([[...operator.roles].sort(), operator.passwordHash, operator.createdAt ?? null]);
  return createHash("sha256").update(record).digest("base64url");
}
