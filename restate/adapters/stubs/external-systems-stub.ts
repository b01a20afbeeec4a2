// Deterministic stand-ins for the agents' workspace, GitHub, Jira, Slack, the eval store and the
// SIEM. Each honours idempotency keys the way the real systems do (same key, same object) and writes
// to the ledger.
import { createHash } from "node:crypto";
import type { ExternalRef } from "../../contracts/schemas";
import type { AgentWorkspace, AuditSink, ChatNotifier, CodeHost, EvalStore, IssueTracker, ToolResult, ToolSpec, WorkspaceRef } from "../ports";
import { APPROVERS_CHANNEL, approverReminderText } from "../approver-reminder";
import type { Latency } from "./latency";
import type { Ledger } from "./ledger";

/** A stable number per key, so refs look real and repeat across runs. */
function numberFor(key: string): number {
  return 1000 + (parseInt(createHash("sha256").update(key).digest("hex").slice(0, 8), 16) % 9000);
}

const STUB_TOOLS: readonly ToolSpec[] = [
  {
    name: "list_files",
    description: "Lists the files under a directory of the workspace.",
    inputSchema: { type: "object", properties: { path: { type: "string" } }, additionalProperties: false },
  },
  {
    name: "search_code",
    description: "Finds the lines of the workspace that match a query.",
    inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"], additionalProperties: false },
  },
];

/** A pretend scratch checkout: tools answer with plausible text, nothing is cloned. */
export function agentWorkspaceStub(ledger: Ledger, wait: Latency): AgentWorkspace {
  return {
    tools: STUB_TOOLS,
    async open({ idempotencyKey, findingId, agent, repo }) {
      await wait(150);
      return ledger.once("github", "open-workspace", findingId, idempotencyKey, (): WorkspaceRef => ({
        system: "github",
        id: `${repo}@scratch/${agent}-${numberFor(idempotencyKey)}`,
        baseRevision: createHash("sha1").update(repo).digest("hex"),
      }));
    },
    async runTool({ findingId, workspace, call }): Promise<ToolResult> {
      await wait(50);
      ledger.note("github", "run-tool", findingId, `${workspace.id}/${call.toolCallId}`, { tool: call.toolName });
      const answer = (output: string, isError = false) => ({ toolCallId: call.toolCallId, toolName: call.toolName, output, isError });
      if (call.toolName === "list_files") return answer(["README.md", "package.json", "src/", "test/"].join("\n"));
      if (call.toolName === "search_code") {
        return answer(`${numberFor(`${workspace.id}/${String(call.input.text)}`) % 90} matches of "${String(call.input.text)}", more in other packages`);
      }
      return answer(`unknown tool ${call.toolName}`, true);
    },
    // The stub agents only describe their fix: nothing in the pretend checkout changes.
    async diff() {
      return { diff: "", files: [] };
    },
    async discard({ idempotencyKey, findingId, workspace }) {
      await wait(100);
      ledger.once("github", "discard-workspace", findingId, idempotencyKey, () => workspace);
    },
  };
}

export function codeHostStub(ledger: Ledger, wait: Latency): CodeHost {
  return {
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
      return ledger.once("jira", "open-ticket", findingId, idempotencyKey, () => ({ system: "jira", id: key, url: `https://jira.example.com/browse/${key}` }), {
        title,
      });
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
      return ledger.once("slack", "post-message", findingId, idempotencyKey, () => ({ system: "slack", id: `${channel}/p${numberFor(idempotencyKey)}` }), {
        channel,
        text,
      });
    },
    async remindApprovers(reminder) {
      await wait(80);
      const action = reminder.kind === "escalation" ? "escalate-approvers" : "remind-approvers";
      const ref = () => ({ system: "slack", id: `${APPROVERS_CHANNEL}/p${numberFor(reminder.idempotencyKey)}` });
      return ledger.once("slack", action, reminder.finding.id, reminder.idempotencyKey, ref, { text: approverReminderText(reminder) });
    },
  };
}

/** An export kept in the ledger once per idempotency key, as a store of records would keep it. */
function recordExport(ledger: Ledger, wait: Latency, system: string, action: string, idPrefix: string) {
  return async ({ idempotencyKey, findingId, record }: { idempotencyKey: string; findingId: string; record: unknown }) => {
    await wait(50);
    const ref = () => ({ system, id: `${idPrefix}-${numberFor(idempotencyKey)}` });
    return ledger.once(system, action, findingId, idempotencyKey, ref, record);
  };
}

export function evalStoreStub(ledger: Ledger, wait: Latency): EvalStore {
  return { exportEval: recordExport(ledger, wait, "eval-store", "export-eval", "eval") };
}

export function auditSinkStub(ledger: Ledger, wait: Latency): AuditSink {
  return { exportAuditRecord: recordExport(ledger, wait, "siem", "export-audit-record", "audit") };
}
