// Claims the console signs for the services: who submitted a finding, who decided at the gate, who
// cancelled a run, which runs the backfill adds to a run list.
// HMAC-SHA256 with a secret both sides hold (APPROVAL_SIGNING_SECRET), over a canonical string, with
// an issue time: the services accept a claim only when its MAC, its finding and its age all check out,
// so a client that talks to the ingress directly cannot put a name in the journal.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { RunIndexEntry } from "../contracts/run-index";

/** How long a signed claim stays valid: enough for a slow network, too short to hoard signatures. */
export const CLAIM_MAX_AGE_MS = 5 * 60_000;
/** Clock skew tolerated between the console and the services. */
export const CLAIM_MAX_SKEW_MS = 30_000;
/** The secret must carry at least 256 bits (64 hex characters or 43+ base64 characters). */
export const MIN_SECRET_LENGTH = 32;

export interface ApprovalClaim {
  findingId: string;
  /** The gate this decision was made at (status.gateId): a claim cannot predate the gate it decides. */
  gateId: string;
  approver: string;
  /** The approver's groups when the console signed: the gate counts a decision only from its eligible groups. */
  approverGroups?: string[];
  approved: boolean;
  comment?: string;
  issuedAt: string;
  nonce: string;
}

export interface SubmissionClaim {
  findingId: string;
  submittedBy: string;
  issuedAt: string;
}

/** One field per line as JSON: no value can be crafted to read as another field. */
function canonical(kind: string, fields: readonly unknown[]): string {
  return JSON.stringify(["remediation-claim/v1", kind, ...fields]);
}

/** v3 signs the approver's groups (sorted, so their order does not matter): nobody can add a group to a claim. */
export const approvalPayload = (claim: ApprovalClaim) =>
  canonical("approval/v3", [
    claim.findingId,
    claim.gateId,
    claim.approver,
    [...new Set(claim.approverGroups ?? [])].sort(),
    claim.approved,
    claim.comment ?? "",
    claim.issuedAt,
    claim.nonce,
  ]);
/** A sign-off the console refused before it reached the gate (no session, wrong role): signed so only the console can add one. */
export interface RefusalClaim {
  findingId: string;
  approver: string;
  /** Whether the console knew who was calling (a signed-in operator with the wrong role) or nobody was signed in. */
  identified: boolean;
  approved: boolean;
  reason: string;
  issuedAt: string;
  nonce: string;
}
export const refusalPayload = (claim: RefusalClaim) =>
  canonical("refusal/v2", [claim.findingId, claim.approver, claim.identified, claim.approved, claim.reason, claim.issuedAt, claim.nonce]);

export function signRefusal(secret: string, claim: Omit<RefusalClaim, "issuedAt" | "nonce">, now = new Date()) {
  const full: RefusalClaim = { ...claim, issuedAt: now.toISOString(), nonce: newNonce() };
  return { ...full, signature: mac(secret, refusalPayload(full)) };
}

/** An operator's request to stop a run, with the reason the audit record keeps. */
export interface CancelClaim {
  findingId: string;
  by: string;
  reason: string;
  issuedAt: string;
  nonce: string;
}
export const cancelPayload = (claim: CancelClaim) => canonical("cancel/v1", [claim.findingId, claim.by, claim.reason, claim.issuedAt, claim.nonce]);

export function signCancel(secret: string, claim: Omit<CancelClaim, "issuedAt" | "nonce">, now = new Date()) {
  const full: CancelClaim = { ...claim, issuedAt: now.toISOString(), nonce: newNonce() };
  return { ...full, signature: mac(secret, cancelPayload(full)) };
}

/** Runs the console's backfill adds to one run list (RunIndex addAll): the signature covers the list and every entry. */
export interface RunListClaim {
  list: string;
  entries: readonly RunIndexEntry[];
  issuedAt: string;
}
export const runListPayload = (claim: RunListClaim) => {
  const fields = claim.entries.map((entry) => [entry.at, entry.invocationId, entry.findingId, entry.severity]);
  return canonical("run-list/v1", [claim.list, createHash("sha256").update(JSON.stringify(fields)).digest("base64url"), claim.issuedAt]);
};

export function signRunList(secret: string, list: string, entries: RunIndexEntry[], now = new Date()) {
  const issuedAt = now.toISOString();
  return { entries, issuedAt, signature: mac(secret, runListPayload({ list, entries, issuedAt })) };
}

export const submissionPayload = (claim: SubmissionClaim) => canonical("submission", [claim.findingId, claim.submittedBy, claim.issuedAt]);

export function mac(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function newNonce(): string {
  return randomBytes(16).toString("base64url");
}

export function signApproval(secret: string, claim: Omit<ApprovalClaim, "issuedAt" | "nonce">, now = new Date()) {
  const full: ApprovalClaim = { ...claim, issuedAt: now.toISOString(), nonce: newNonce() };
  return { ...full, signature: mac(secret, approvalPayload(full)) };
}

export function signSubmission(secret: string, claim: Omit<SubmissionClaim, "issuedAt">, now = new Date()) {
  const full: SubmissionClaim = { ...claim, issuedAt: now.toISOString() };
  // The finding id is signed but not sent: the workflow takes it from the finding itself.
  return { submittedBy: full.submittedBy, issuedAt: full.issuedAt, signature: mac(secret, submissionPayload(full)) };
}

/** Whether the signature is the console's over this payload (whatever else is wrong with the claim). */
export function macMatches(secret: string, payload: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = Buffer.from(mac(secret, payload));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Checks a signature and the claim's age. Returns null when valid, or why not (for the operator and
 * the audit trail). `key` is the workflow key: a claim signed for another finding never verifies.
 */
export function verifyClaim(
  secret: string,
  options: { payload: string; signature: string | undefined; findingId: string; key: string; issuedAt: string; now: number },
): string | null {
  if (!options.signature) return "the approval is not signed; sign off through the console or its API";
  if (!macMatches(secret, options.payload, options.signature)) return "the signature does not match";
  if (options.findingId !== options.key) return `the signature is for finding "${options.findingId}", not "${options.key}"`;
  return claimAgeRefusal(options.issuedAt, options.now);
}

/** Why a claim issued at `issuedAt` is too old or from the future at `now`, or null when its age is fine. */
function claimAgeRefusal(issuedAt: string, now: number): string | null {
  const issued = Date.parse(issuedAt);
  if (Number.isNaN(issued)) return "the signature's issue time is not a date";
  if (issued > now + CLAIM_MAX_SKEW_MS) return "the signature is issued in the future";
  if (now - issued > CLAIM_MAX_AGE_MS) return `the signature expired (issued ${issuedAt}, valid for ${CLAIM_MAX_AGE_MS / 60_000} minutes)`;
  return null;
}

/** Checks the backfill's signature over a run list's entries and its age: null when valid, or why not. */
export function verifyRunList(secret: string, claim: RunListClaim & { signature: string | undefined; now: number }): string | null {
  if (!claim.signature) return "the entries are not signed; the backfill (npm run index:backfill) signs them with the console's secret";
  if (!macMatches(secret, runListPayload(claim), claim.signature)) return "the signature does not match these entries for this list";
  return claimAgeRefusal(claim.issuedAt, claim.now);
}
