// The services' check of the console's signed claims (submitter, sign-off, refusal record, run list), with the
// APPROVAL_SIGNING_SECRET from the services' config.
import { config } from "../config";
import { verifyClaim, verifyRunList } from "./signed-claims";

const NO_SECRET = "the services have no APPROVAL_SIGNING_SECRET to verify it with";

/** Why a claim does not verify (worded for the operator and the trail), or null when it does. */
export function claimRefusal(claim: Parameters<typeof verifyClaim>[1]): string | null {
  const secret = config.APPROVAL_SIGNING_SECRET;
  return secret ? verifyClaim(secret, claim) : NO_SECRET;
}

/** Why the entries signed for a run list do not verify, or null when they do. */
export function runListRefusal(claim: Parameters<typeof verifyRunList>[1]): string | null {
  const secret = config.APPROVAL_SIGNING_SECRET;
  return secret ? verifyRunList(secret, claim) : NO_SECRET;
}
