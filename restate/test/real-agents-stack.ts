// A test stack with real agents: the services with LLM_PROVIDER=openai-compatible or anthropic, real git
// workspaces of the demo repositories in a temporary directory, and one scripted model server that
// answers each request by the finding it is about, the role asking (the model's name) and the turn.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Env } from "../../scripts/stack";
import { workspaceDirName } from "../workspace/workspaces";
import { startTestStack, type TestStack } from "./harness";
import { reply, startScriptedModelServer, type ScriptedModelServer, type ScriptedReply, type ScriptedRequest } from "./scripted-models";

export type Role = "fast" | "conservative" | "judge";
/** What a role answers at its turn `turn` (1 for the first request, +1 per assistant message before it). */
export type Turn = (turn: number, request: ScriptedRequest) => ScriptedReply;
export type FindingScript = Partial<Record<Role, Turn>>;

export interface RealAgentsStack {
  stack: TestStack;
  models: ScriptedModelServer;
  reposDir: string;
  workspacesDir: string;
  /** What the models answer about this finding. */
  script(findingId: string, script: FindingScript): void;
  /** The requests the models got about this finding, in order of arrival. */
  asked(findingId: string): ScriptedRequest[];
  /** A rung's workspace directory, from its sub-agent invocation id (the key it is opened with). */
  workspaceOf(subAgentInvocationId: string): string;
  stop(): Promise<void>;
}

const findingOf = (request: ScriptedRequest) => /Finding ([\w.-]+) \(/.exec(JSON.stringify(request.body.messages))?.[1];
export const roleOf = (request: ScriptedRequest) => String(request.body.model).replace("scripted-", "") as Role;
export const turnOf = (request: ScriptedRequest) => (request.body.messages as { role: string }[]).filter((message) => message.role === "assistant").length + 1;

/** RUNG_TIMEOUTS_MS for every rung: real model round trips and test runs never run out of time on a busy machine. */
export const SLACK_RUNG_TIMEOUTS = "fastExecutor=600000,conservativeExecutor=600000";

/** The scripted server's answers, by finding: a 400 for a finding or role nobody scripted. */
export function findingScripts() {
  const scripts = new Map<string, FindingScript>();
  return {
    script: (findingId: string, script: FindingScript) => void scripts.set(findingId, script),
    route(request: ScriptedRequest): ScriptedReply {
      const findingId = findingOf(request);
      const script = findingId ? scripts.get(findingId)?.[roleOf(request)] : undefined;
      return script ? script(turnOf(request), request) : reply.error(400, `no script for ${findingId ?? "an unknown finding"} as ${roleOf(request)}`);
    },
  };
}

/**
 * The services' settings for real agents against the scripted server at `modelsUrl`, with the demo
 * repositories and workspaces in a new directory (`root`, for the caller to remove).
 */
export function realAgentsEnv(provider: "openai-compatible" | "anthropic", modelsUrl: string) {
  // The sandbox runs commands as `nobody` when the services run as root: the workspaces must be reachable.
  const root = mkdtempSync(join(tmpdir(), "real-agents-"));
  chmodSync(root, 0o755);
  const reposDir = join(root, "repos");
  const workspacesDir = join(root, "workspaces");
  const env = {
    LLM_PROVIDER: provider,
    LLM_BASE_URL: modelsUrl,
    LLM_API_KEY: "scripted-key",
    LLM_MODEL_FAST: "scripted-fast",
    LLM_MODEL_CONSERVATIVE: "scripted-conservative",
    LLM_MODEL_JUDGE: "scripted-judge",
    REPOS_DIR: reposDir,
    WORKSPACES_DIR: workspacesDir,
    RUNG_TIMEOUTS_MS: SLACK_RUNG_TIMEOUTS,
  };
  return { env, root, reposDir, workspacesDir };
}

export async function startRealAgentsStack(provider: "openai-compatible" | "anthropic", servicesEnv: Env = {}): Promise<RealAgentsStack> {
  const scripts = findingScripts();
  const models = await startScriptedModelServer((request) => scripts.route(request));
  const { env, root, reposDir, workspacesDir } = realAgentsEnv(provider, models.url);
  let stack: TestStack;
  try {
    stack = await startTestStack({ servicesEnv: { ...env, ...servicesEnv } });
  } catch (error) {
    await models.close();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    stack,
    models,
    reposDir,
    workspacesDir,
    script: scripts.script,
    asked: (findingId) => models.requests.filter((request) => findingOf(request) === findingId),
    workspaceOf: (subAgentInvocationId) => join(workspacesDir, workspaceDirName(`${subAgentInvocationId}/workspace`)),
    async stop() {
      await stack.stop();
      await models.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The fast agent's closing turn: the plan, handed in with `hand_in_plan`. */
export const handIn = (summary: string) =>
  reply.toolCalls([
    {
      name: "hand_in_plan",
      input: {
        summary,
        steps: [{ description: "Merge the pull request" }],
        rollback: ["Revert the pull request"],
        confidence: 0.9,
        ticket: { title: "Bump lodash", body: summary },
        pullRequest: { title: "fix: bump lodash to 4.17.21", branch: "remediation/lodash", body: summary },
      },
    },
  ]);

export const approve = () => reply.json({ verdict: "approve", commentary: "The bump to 4.17.21 fixes the prototype pollution and the tests pass." });

/** One turn that writes these files (path → content) with `write_file`. */
export const writeFiles = (files: Record<string, string>) =>
  reply.toolCalls(Object.entries(files).map(([path, content]) => ({ name: "write_file", input: { path, content } })));
