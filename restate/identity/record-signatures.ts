// Records the services vouch for: every accepted approval, every entry of the sign-off trail, the
// submitter and the audit record carry an ed25519 signature made with a key only the services hold.
// Whoever reaches Restate's admin API can rewrite state, but cannot sign: the console (and an auditor,
// offline) re-verifies with the public key and shows what does not check out.
// Ed25519 signatures are deterministic, so signing inside a handler replays to the same bytes.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import type { Approval, SignoffAttempt } from "../contracts/schemas";

export const RECORD_KEY_PREFIX = "ed25519:";

/** One canonical text per record: keys sorted at every level, so any JSON encoder agrees on the bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The kinds of record the services sign; the kind is part of the signed bytes, so one cannot pass for another. */
export type RecordKind = "approval" | "submitter" | "signoff-attempt" | "audit-record" | "audit-log-entry" | "audit-log-head";

const signedBytes = (kind: RecordKind, findingId: string, record: unknown) => Buffer.from(canonicalJson(["remediation-record/v1", kind, findingId, record]));

export class RecordSigner {
  constructor(private readonly privateKey: KeyObject) {}

  static fromPem(pem: string): RecordSigner {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "ed25519") throw new Error("the record-signing key must be an ed25519 private key");
    return new RecordSigner(key);
  }

  sign(kind: RecordKind, findingId: string, record: unknown): string {
    return sign(null, signedBytes(kind, findingId, record), this.privateKey).toString("base64url");
  }

  /** The matching public key as `ed25519:<base64url raw key>`, for RECORD_VERIFY_KEY. */
  publicKey(): string {
    return publicKeyText(createPublicKey(this.privateKey));
  }
}

export function publicKeyText(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || !jwk.x) throw new Error("not an ed25519 key");
  return `${RECORD_KEY_PREFIX}${jwk.x}`;
}

/** Parses `ed25519:<base64url>`; throws with a message naming the problem. */
export function parseRecordVerifyKey(text: string): KeyObject {
  if (!text.startsWith(RECORD_KEY_PREFIX)) throw new Error(`must start with "${RECORD_KEY_PREFIX}"`);
  const x = text.slice(RECORD_KEY_PREFIX.length).trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(x)) throw new Error("must hold a 32-byte ed25519 public key in base64url");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
}

export function verifyRecord(publicKey: KeyObject, kind: RecordKind, findingId: string, record: unknown, signature: string | undefined | null): boolean {
  if (!signature) return false;
  try {
    return verify(null, signedBytes(kind, findingId, record), publicKey, Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

/** The signed form of an accepted approval: the decision, who made it, at which gate, and when. */
export const approvalRecord = (approval: Approval) => ({
  approved: approval.approved,
  approver: approval.approver,
  comment: approval.comment ?? null,
  decidedAt: approval.decidedAt,
  gateId: approval.gateId ?? null,
  n: approval.n ?? null,
});

/** The signed form of the run's submitter. */
export const submitterRecord = (submittedBy: string) => ({ submittedBy });

/** The signed form of a sign-off trail entry: its fields, its number, and the signature before it. */
export const trailEntryRecord = (attempt: SignoffAttempt) => ({
  at: attempt.at,
  approver: attempt.approver,
  approved: attempt.approved,
  accepted: attempt.accepted,
  reason: attempt.reason,
  signed: attempt.signed,
  seq: attempt.seq ?? null,
  previous: attempt.previous ?? null,
});
