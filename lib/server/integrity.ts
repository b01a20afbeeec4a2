// Re-verifies what the console shows as the truth of a run: the submitter, every approval and every
// entry of the sign-off trail must carry the services' signature (RECORD_VERIFY_KEY), and the trail's
// entries must form an unbroken chain. State rewritten through Restate's admin API, or written by a
// deployment that is not ours, fails here and the run page says so.
import "server-only";
import type { KeyObject } from "node:crypto";
import type { Integrity } from "@/lib/api/contracts";
import { approvalRecord, parseRecordVerifyKey, submitterRecord, trailEntryRecord, verifyRecord } from "@/restate/identity/record-signatures";
import type { Status } from "@/restate/contracts/schemas";
import { serverEnv, ServerConfigError } from "./env";

let cachedKey: { text: string; key: KeyObject } | undefined;

function verifyKey(): KeyObject | null {
  const text = serverEnv().RECORD_VERIFY_KEY;
  if (!text) return null;
  if (cachedKey?.text !== text) {
    try {
      cachedKey = { text, key: parseRecordVerifyKey(text) };
    } catch (error) {
      throw new ServerConfigError(`RECORD_VERIFY_KEY ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return cachedKey.key;
}

/** Problems with the run's signed records; an empty list when every one of them verifies. */
export function recordProblems(key: KeyObject, status: Status): { problems: string[]; checked: number } {
  const findingId = status.findingId;
  const problems: string[] = [];
  let checked = 0;

  if (status.submittedBy !== null) {
    checked++;
    if (!verifyRecord(key, "submitter", findingId, submitterRecord(status.submittedBy), status.submittedByAttestation)) {
      problems.push(`The submitter "${status.submittedBy}" is not signed by the services: it was written by something else.`);
    }
  }
  status.approvals.forEach((approval, i) => {
    checked++;
    if (!verifyRecord(key, "approval", findingId, approvalRecord(approval), approval.attestation)) {
      problems.push(
        `Approval ${i + 1} ("${approval.approved ? "approved" : "rejected"}" by ${approval.approver}) is not signed by the services: it was not decided at this gate.`,
      );
    }
  });
  if (status.approval) {
    checked++;
    const last = status.approvals.at(-1);
    if (
      !last ||
      last.attestation !== status.approval.attestation ||
      !verifyRecord(key, "approval", findingId, approvalRecord(status.approval), status.approval.attestation)
    ) {
      problems.push(`The gate's decision (by ${status.approval.approver}) is not the last signed approval.`);
    }
  }

  let expectedSeq = status.signoffAttemptsDropped + 1;
  let previous: string | null | undefined;
  status.signoffAttempts.forEach((attempt, i) => {
    checked++;
    const where = `Sign-off trail entry ${attempt.seq ?? `#${i + 1}`} (${attempt.approver}, ${attempt.accepted ? "accepted" : "refused"})`;
    if (!verifyRecord(key, "signoff-attempt", findingId, trailEntryRecord(attempt), attempt.attestation)) {
      problems.push(`${where} is not signed by the services.`);
    } else {
      if (attempt.seq !== expectedSeq) problems.push(`${where} follows a gap: entries ${expectedSeq}–${(attempt.seq ?? expectedSeq) - 1} are missing.`);
      if (i > 0 && attempt.previous !== previous) problems.push(`${where} does not follow the entry before it: the trail was reordered or cut.`);
    }
    expectedSeq = (attempt.seq ?? expectedSeq) + 1;
    previous = attempt.attestation;
  });
  return { problems, checked };
}

function hasAnySignature(status: Status): boolean {
  return (
    !!status.submittedByAttestation ||
    status.approvals.some((approval) => approval.attestation) ||
    status.signoffAttempts.some((attempt) => attempt.attestation)
  );
}

/** The integrity verdict for a run page; "unchecked" when the console has no key to check with. */
export function checkIntegrity(status: Status): Integrity {
  const key = verifyKey();
  if (!key) return { state: "unchecked", problems: ["RECORD_VERIFY_KEY is not set: the console cannot check the services' signatures."], checked: 0 };
  const { problems, checked } = recordProblems(key, status);
  if (checked > 0 && !hasAnySignature(status)) {
    return {
      state: "unsigned",
      problems: ["None of this run's records carries the services' signature: it ran before record signing was turned on, or the signatures were removed."],
      checked,
    };
  }
  return { state: problems.length ? "tampered" : "verified", problems, checked };
}
