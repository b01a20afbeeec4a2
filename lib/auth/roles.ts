// Operator roles as schemas, and the grants re-exported from ./grants. Shared by the route handlers
// (which enforce them) and the UI (which only hides what a role cannot do, and never relies on that).
import { z } from "zod";
import { GroupNameSchema } from "../../restate/contracts/policy";
import { ROLES, type Role } from "./grants";

export { can, ROLES, type Permission, type Role } from "./grants";

export const RoleSchema = z.enum(ROLES);

/** The signed-in operator as the browser sees it (GET /api/session). */
export const OperatorViewSchema = z.object({
  username: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  /** The approver groups the operator belongs to (the operators file, or the OIDC groups claim). */
  groups: z.array(z.string()),
  /** How this operator signed in; "slack": a click in Slack, mapped to the operator by e-mail (never a session). */
  via: z.enum(["password", "oidc", "token", "slack"]),
});
export type OperatorView = z.infer<typeof OperatorViewSchema>;

/**
 * Names the console itself submits under (GitHub's alert webhooks): no operator may hold one, or they
 * could pass for the source of those runs. The operators file, the operators CLI and single sign-on refuse them.
 */
export const GITHUB_WEBHOOK_SUBMITTER = "github-webhook";
export const RESERVED_USERNAMES: readonly string[] = [GITHUB_WEBHOOK_SUBMITTER];

/** Group names from an OIDC claim or the CLI: an array of strings or one string separated by spaces or commas; names that are not group names are ignored. */
export function parseGroups(value: unknown): string[] {
  const names = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[\s,]+/) : [];
  return [...new Set(names.filter((name): name is string => GroupNameSchema.safeParse(name).success))];
}

/** Roles from text: "approver, submitter" or "approver submitter"; unknown names are ignored. */
export function parseRoles(value: unknown): Role[] {
  const names = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[\s,]+/) : [];
  return [...new Set(names.filter((name): name is Role => RoleSchema.safeParse(name).success))];
}
