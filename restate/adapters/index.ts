// Wires the outside world. Today every port is a stub.
import { config } from "../config";
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

export const adapters: Adapters = stubAdapters();
export type { Adapters } from "./ports";
