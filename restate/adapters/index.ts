// Wires the outside world, chosen by configuration here and nowhere else: LLM_PROVIDER names the set
// of adapters the services use. Only the stub set exists today; a provider without one stops the
// services at start-up rather than quietly running the stubs.
import { config } from "../config";
import type { LlmProvider } from "../models/model-config";
import { PROMPT_VERSION } from "../identity/workload-identity";
import type { Adapters } from "./ports";
import { agentWorkspaceStub, auditSinkStub, chatNotifierStub, codeHostStub, evalStoreStub, issueTrackerStub } from "./stubs/external-systems-stub";
import { FaultPlan } from "./stubs/faults";
import { judgeModelStub } from "./stubs/judge-model-stub";
import { latency } from "./stubs/latency";
import { Ledger } from "./stubs/ledger";
import { planningModelStub } from "./stubs/planning-model-stub";

function stubAdapters(): Adapters {
  const ledger = new Ledger(config.OUTSIDE_WORLD_LEDGER, FaultPlan.parse(config.STUB_FAULTS));
  const wait = latency(config.STUB_LATENCY_SCALE);
  return {
    planner: planningModelStub(ledger, wait, PROMPT_VERSION),
    workspace: agentWorkspaceStub(ledger, wait),
    judge: judgeModelStub(ledger, wait),
    codeHost: codeHostStub(ledger, wait),
    issueTracker: issueTrackerStub(ledger, wait),
    chat: chatNotifierStub(ledger, wait),
    evalStore: evalStoreStub(ledger, wait),
    audit: auditSinkStub(ledger, wait),
  };
}

const ADAPTER_SETS: Partial<Record<LlmProvider, () => Adapters>> = {
  stub: stubAdapters,
};

function adaptersFor(provider: LlmProvider): Adapters {
  const build = ADAPTER_SETS[provider];
  if (!build) {
    throw new Error(
      `LLM_PROVIDER=${provider}: no adapters implement the agents' ports for this provider yet (available: ${Object.keys(ADAPTER_SETS).join(", ")})`,
    );
  }
  return build();
}

export const adapters: Adapters = adaptersFor(config.LLM_PROVIDER);
export type { Adapters } from "./ports";
