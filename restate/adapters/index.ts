// Wires the outside world, chosen by configuration here and nowhere else: LLM_PROVIDER names the set
// of adapters the services use. Only "stub" exists today; a real provider is one more entry in
// ADAPTER_PROVIDERS (and its name in restate/config.ts, which refuses any other value at start-up).
import { config, type LlmProvider } from "../config";
import { PROMPT_VERSION } from "../identity/workload-identity";
import type { Adapters } from "./ports";
import {
  agentWorkspaceStub,
  auditSinkStub,
  chatNotifierStub,
  codeHostStub,
  evalStoreStub,
  issueTrackerStub,
} from "./stubs/external-systems-stub";
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

const ADAPTER_PROVIDERS: Record<LlmProvider, () => Adapters> = {
  stub: stubAdapters,
};

export const adapters: Adapters = ADAPTER_PROVIDERS[config.LLM_PROVIDER]();
export type { Adapters } from "./ports";
