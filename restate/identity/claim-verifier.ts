// The services' check of the console's signed claims (submitter, sign-off, refusal record), with the
// APPROVAL_SIGNING_SECRET from the services' config.
import { config } from "../config";
import { verifyClaim } from "./signed-claims";

/** Why a claim does not verify (worded for the operator and the trail), or null when it does. */
export function claimRefusal(claim: Parameters<typeof verifyClaim>[1]): string | null {
  const secret = config.APPROVAL_SIGNING_SECRET;
  return secret ? verifyClaim(secret, claim) : "the services have no APPROVAL_SIGNING_SECRET to verify it with";
}
