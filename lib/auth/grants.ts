// Operator roles and what each may do, as plain values: the browser's first load checks these to hide
// what a role cannot do, without pulling zod in (lib/auth/roles.ts has the schemas).
export const ROLES = ["viewer", "submitter", "approver", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** read: every page and GET route. submit: POST /api/findings. approve: the sign-off. administer: the Integrations page. */
export type Permission = "read" | "submit" | "approve" | "administer";

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  submitter: ["read", "submit"],
  approver: ["read", "approve"],
  admin: ["read", "submit", "approve", "administer"],
};

export function can(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => GRANTS[role].includes(permission));
}
