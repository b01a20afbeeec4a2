// Operator roles and what each may do. Shared by the route handlers (which enforce it) and the UI
// (which only hides what a role cannot do, and never relies on that).
import { z } from "zod";

export const ROLES = ["viewer", "submitter", "approver", "admin"] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** read: every page and GET route. submit: POST /api/findings. approve: the sign-off. */
export type Permission = "read" | "submit" | "approve";

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  submitter: ["read", "submit"],
  approver: ["read", "approve"],
  admin: ["read", "submit", "approve"],
};

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => GRANTS[role].includes(permission));
}

/** The signed-in operator as the browser sees it (GET /api/session). */
export const OperatorViewSchema = z.object({
  username: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  /** How this operator signed in. */
  via: z.enum(["password", "oidc", "token"]),
});
export type OperatorView = z.infer<typeof OperatorViewSchema>;

/** Roles from text: "approver, submitter" or "approver submitter"; unknown names are ignored. */
export function parseRoles(value: unknown): Role[] {
  const names = Array.isArray(value) ? value : typeof value === "string" ? value.split(/[\s,]+/) : [];
  return [...new Set(names.filter((name): name is Role => RoleSchema.safeParse(name).success))];
}
