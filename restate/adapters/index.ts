// Wires the outside world, chosen by configuration here and nowhere else: LLM_PROVIDER names the set
// of adapters the services use. `stub` (the default) is the deterministic stand-ins; a real provider
// puts models (restate/models) behind the executors and the judge and real git workspaces
// (restate/workspace) under the executors, with the stubbed code host, tracker, chat and exports.
import { config } from "../config";
import { readModelSettings } from "../models/model-config";
import { PROMPT_VERSION } from "../models/prompts";
import { roleModels } from "../models/providers";
import { seedDemoRepos } from "../workspace/demo-repos";
import { workspaceSettingsFromEnv, type WorkspaceSettings } from "../workspace/workspace-settings";
import { gitWorkspace } from "./git-workspace";
import { modelJudge } from "./model-judge";
import { modelPlanner } from "./model-planner";
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

/** Set with a real provider: where its workspaces and repositories live. */
let workspaceSettings: WorkspaceSettings | null = null;

function selectAdapters(): Adapters {
  if (config.LLM_PROVIDER === "stub") return stubAdapters();
  // Each reader throws an error naming the bad variable, which stops the services before they listen.
  const models = roleModels(readModelSettings(process.env));
  if (!models) return stubAdapters();
  workspaceSettings = workspaceSettingsFromEnv(process.env);
  return {
    ...stubAdapters(),
    planner: modelPlanner(models, PROMPT_VERSION),
    workspace: gitWorkspace(workspaceSettings),
    judge: modelJudge(models.judge),
  };
}

export const adapters: Adapters = selectAdapters();

/** Before the services listen: a real provider's code host gets its demo repositories (those missing). */
export async function prepareAdapters(): Promise<void> {
  if (!workspaceSettings) return;
  const seeded = await seedDemoRepos(workspaceSettings.reposDir);
  if (seeded.created.length) console.log(`seeded demo repositories in ${workspaceSettings.reposDir}: ${seeded.created.join(", ")}`);
}

export type { Adapters } from "./ports";
