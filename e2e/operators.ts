// The operators of the browser journeys; global-setup writes them (bcrypt-hashed) into the console's
// operators file, and the tests sign in with these passwords.
import type { Role } from "../lib/auth/roles";

export const E2E_OPERATORS: Record<string, { name: string; roles: Role[] }> = {
  ada: { name: "Ada Admin", roles: ["admin"] },
  sam: { name: "Sam Submitter", roles: ["submitter"] },
  ana: { name: "Ana Approver", roles: ["approver"] },
  grace: { name: "Grace Approver", roles: ["approver"] },
  vic: { name: "Vic Viewer", roles: ["viewer"] },
};

export const e2ePassword = (username: string) => `${username}-e2e-password`;
