// Deterministic stand-ins for GitHub, Jira, Slack, the eval store and the SIEM. Each honours
// idempotency keys the way the real systems do (same key, same object) and writes to the ledger.
import { createHash } from "node:crypto";
import type { ExternalRef } from "../../contracts/schemas";
import type { AuditSink, ChatNotifier, CodeHost, EvalStore, IssueTracker } from "../ports";
import type { Latency } from "./latency";
import type { Ledger } from "./ledger";

/** A stable number per key, so refs look real and repeat across runs. */
function numberFor(key: string): number {
  return 1000 + (parseInt(createHash("sha256").update(key).digest("hex").slice(0, 8), 16) % 9000);
}

export function codeHostStub(ledger: Ledger, wait: Latency): CodeHost {
  return {
    async openWorkspace({ idempotencyKey, findingId, agent, repo }) {
      await wait(150);
      return ledger.once("github", "open-workspace", findingId, idempotencyKey, () => ({
        system: "github",
        id: `${repo}@scratch/${agent}-${numberFor(idempotencyKey)}`,
      }));
    },
    async discardWorkspace({ idempotencyKey, findingId, workspace }) {
      await wait(100);
      ledger.once("github", "discard-workspace", findingId, idempotencyKey, () => workspace);
    },
    async openPullRequest({ idempotencyKey, findingId, repo, title, branch }) {
      await wait(300);
      const number = numberFor(idempotencyKey);
      return ledger.once(
        "github",
        "open-pull-request",
        findingId,
        idempotencyKey,
        (): ExternalRef => ({ system: "github", id: `${repo}#${number}`, url: `https://github.example.com/${repo}/pull/${number}` }),
        { title, branch },
      );
    },
    async closePullRequest({ idempotencyKey, findingId, pullRequest, reason }) {
      await wait(150);
      ledger.once("github", "close-pull-request", findingId, idempotencyKey, () => pullRequest, { reason });
    },
  };
}

export function issueTrackerStub(ledger: Ledger, wait: Latency): IssueTracker {
  return {
    async openTicket({ idempotencyKey, findingId, title }) {
      await wait(150);
      const key = `SEC-${numberFor(idempotencyKey)}`;
      return ledger.once(
        "jira",
        "open-ticket",
        findingId,
        idempotencyKey,
        () => ({ system: "jira", id: key, url: `https://jira.example.com/browse/${key}` }),
        { title },
      );
    },
    async closeTicket({ idempotencyKey, findingId, ticket, reason }) {
      await wait(100);
      ledger.once("jira", "close-ticket", findingId, idempotencyKey, () => ticket, { reason });
    },
  };
}

export function chatNotifierStub(ledger: Ledger, wait: Latency): ChatNotifier {
  return {
    async notify({ idempotencyKey, findingId, channel, text }) {
      await wait(80);
      return ledger.once(
        "slack",
        "post-message",
        findingId,
        idempotencyKey,
        () => ({ system: "slack", id: `${channel}/p${numberFor(idempotencyKey)}` }),
        { channel, text },
      );
    },
  };
}

export function evalStoreStub(ledger: Ledger, wait: Latency): EvalStore {
  return {
    async exportEval({ idempotencyKey, findingId, record }) {
      await wait(50);
      return ledger.once("eval-store", "export-eval", findingId, idempotencyKey, () => ({
        system: "eval-store",
        id: `eval-${numberFor(idempotencyKey)}`,
      }), record);
    },
  };
}

export function auditSinkStub(ledger: Ledger, wait: Latency): AuditSink {
  return {
    async exportAuditRecord({ idempotencyKey, findingId, record }) {
      await wait(50);
      return ledger.once("siem", "export-audit-record", findingId, idempotencyKey, () => ({
        system: "siem",
        id: `audit-${numberFor(idempotencyKey)}`,
      }), record);
    },
  };
}
