// The stub provider's workspace: a real git clone (./git-workspace.ts) when the finding's repository is
// hosted under REPOS_DIR, so the stub agents change real files and run real tests; the pretend checkout
// otherwise, its ref saying why there is no workspace. Both keep the ledger the tests count.
import { gitWorkspace } from "../git-workspace";
import type { AgentWorkspace, WorkspaceRef } from "../ports";
import type { WorkspaceSettings } from "../../workspace/workspace-settings";
import { agentWorkspaceStub } from "./external-systems-stub";
import type { Latency } from "./latency";
import type { Ledger } from "./ledger";

const SYSTEM = "code-host";

export function hostedWorkspaceStub(ledger: Ledger, wait: Latency, settings: WorkspaceSettings): AgentWorkspace {
  const real = gitWorkspace(settings);
  const pretend = agentWorkspaceStub(ledger, wait);
  const missingRepository = real.missingRepository!;
  const isReal = (ref: WorkspaceRef) => !ref.noWorkspace;
  return {
    tools: real.tools,
    async open(input) {
      const missing = await missingRepository(input.repo);
      if (missing) return { ...(await pretend.open(input)), noWorkspace: missing };
      return ledger.onceAsync(SYSTEM, "open-workspace", input.findingId, input.idempotencyKey, () => real.open(input));
    },
    async runTool(input) {
      if (!isReal(input.workspace)) return pretend.runTool(input);
      ledger.note(SYSTEM, "run-tool", input.findingId, `${input.workspace.id}/${input.call.toolCallId}`, { tool: input.call.toolName });
      return real.runTool(input);
    },
    diff: (input) => (isReal(input.workspace) ? real.diff(input) : pretend.diff(input)),
    async discard(input) {
      if (!isReal(input.workspace)) return pretend.discard(input);
      await ledger.onceAsync(SYSTEM, "discard-workspace", input.findingId, input.idempotencyKey, async () => {
        await real.discard(input);
        return input.workspace;
      });
    },
  };
}
