// Wires the outside world, chosen by configuration here and nowhere else: LLM_PROVIDER names the set
// of adapters the services use. `stub` (the default) is the deterministic stand-ins, working in real git
// workspaces (restate/workspace) of the repositories under REPOS_DIR; a real provider puts models
// (restate/models) behind the executors and the judge. The outside world's ports are chosen on their own:
// CODE_HOST here, ISSUE_TRACKER and CHAT in ./tracker-and-chat.ts, AUDIT_SINK and EVAL_STORE in ./record-exports.ts.
import { config } from "../config";
import { trackedAdapters } from "../integrations/call-tracker";
import { readModelSettings } from "../models/model-config";
import { PROMPT_VERSION } from "../models/prompts";
import { roleModels } from "../models/providers";
import { repositoryPath, seedDemoRepos } from "../workspace/demo-repos";
import { workspaceSettingsFromEnv, type WorkspaceSettings } from "../workspace/workspace-settings";
import { sweepLeftovers } from "../workspace/workspaces";
import { githubCodeHost } from "./github/github-code-host";
import { githubSettingsFromEnv } from "./github/github-settings";
import { gitWorkspace } from "./git-workspace";
import { localCodeHost, type LocalCodeHost } from "./local/code-host";
import { modelJudge } from "./model-judge";
import { modelPlanner } from "./model-planner";
import type { Adapters, CodeHost } from "./ports";
import { auditSinkFor, evalStoreFor } from "./record-exports";
import { trackerAndChat } from "./tracker-and-chat";
import { auditSinkStub, chatNotifierStub, codeHostStub, evalStoreStub, issueTrackerStub } from "./stubs/external-systems-stub";
import { FaultPlan } from "./stubs/faults";
import { hostedWorkspaceStub } from "./stubs/hosted-workspace-stub";
import { judgeModelStub } from "./stubs/judge-model-stub";
import { latency } from "./stubs/latency";
import { Ledger } from "./stubs/ledger";
import { planningModelStub } from "./stubs/planning-model-stub";

function stubAdapters(settings: WorkspaceSettings): Adapters {
  const ledger = new Ledger(config.OUTSIDE_WORLD_LEDGER, FaultPlan.parse(config.STUB_FAULTS));
  const wait = latency(config.STUB_LATENCY_SCALE);
  return {
    planner: planningModelStub(ledger, wait, PROMPT_VERSION, (repo) => repositoryPath(settings.reposDir, repo) !== undefined),
    workspace: hostedWorkspaceStub(ledger, wait, settings),
    judge: judgeModelStub(ledger, wait),
    codeHost: codeHostStub(ledger, wait),
    issueTracker: issueTrackerStub(ledger, wait),
    chat: chatNotifierStub(ledger, wait),
    evalStore: evalStoreFor(() => evalStoreStub(ledger, wait)),
    audit: auditSinkFor(() => auditSinkStub(ledger, wait)),
  };
}

/**
 * Where the workspaces and the code host's repositories live, for the stub provider and a real one alike.
 * Each reader throws an error naming the bad variable, which stops the services before they listen.
 */
const workspaceSettings: WorkspaceSettings = workspaceSettingsFromEnv(process.env);

/** The embedded code host, when CODE_HOST=local: the PullRequests service lists its records. */
export let localPullRequests: LocalCodeHost | null = null;

/** CODE_HOST picks the code host: the embedded git repositories (REPOS_DIR), GitHub, or the ledger stub. */
function selectCodeHost(stub: CodeHost): CodeHost {
  if (config.CODE_HOST === "stub") return stub;
  if (config.CODE_HOST === "github") return githubCodeHost(githubSettingsFromEnv(process.env));
  localPullRequests = localCodeHost({ reposDir: workspaceSettings.reposDir, recordsDir: config.OUTSIDE_WORLD_DIR, consoleUrl: config.CONSOLE_URL });
  return localPullRequests;
}

function selectAdapters(): Adapters {
  if (config.LLM_PROVIDER === "stub") return stubAdapters(workspaceSettings);
  const models = roleModels(readModelSettings(process.env));
  if (!models) return stubAdapters(workspaceSettings);
  return {
    ...stubAdapters(workspaceSettings),
    planner: modelPlanner(models, PROMPT_VERSION),
    workspace: gitWorkspace(workspaceSettings),
    judge: modelJudge(models.judge),
  };
}

const selected = selectAdapters();
/** Each call noted for the Integrations page (restate/integrations/call-tracker.ts). */
export const adapters: Adapters = trackedAdapters({ ...selected, codeHost: selectCodeHost(selected.codeHost), ...trackerAndChat(config, process.env) });

/** Before the services listen: the code host gets its demo repositories (those missing). */
export async function prepareAdapters(): Promise<void> {
  const seeded = await seedDemoRepos(workspaceSettings.reposDir);
  if (seeded.created.length) console.log(`seeded demo repositories in ${workspaceSettings.reposDir}: ${seeded.created.join(", ")}`);
  const swept = await sweepLeftovers(workspaceSettings.workspacesDir);
  if (swept.length) console.log(`removed ${swept.length} leftover workspace director${swept.length === 1 ? "y" : "ies"} of crashed processes`);
}

export type { Adapters } from "./ports";
