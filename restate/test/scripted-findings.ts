// Scripted models for whole runs: each finding gets its own script per role (and, for an executor, per
// turn), found by the finding id in the request; the scripted server's model name says the role
// (`scripted-fast`, `scripted-conservative`, `scripted-judge`).
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { reply, type ScriptedReply, type ScriptedRequest } from "./scripted-models";

export type ScriptedRole = "fast" | "conservative" | "judge";
/** `turn` counts the executor's turns (the judge's answer is turn 1, its repair turn 2). */
export type ScriptedTurn = (turn: number, request: ScriptedRequest) => ScriptedReply;
export type FindingScript = Partial<Record<ScriptedRole, ScriptedTurn>>;

/** The `LLM_MODEL_*` settings that name the roles the way `scriptedFindings` reads them. */
export const SCRIPTED_ROLE_MODELS = {
  LLM_MODEL_FAST: "scripted-fast",
  LLM_MODEL_CONSERVATIVE: "scripted-conservative",
  LLM_MODEL_JUDGE: "scripted-judge",
} as const;

/**
 * The services' settings for real agents against the scripted server at `modelsUrl`: the roles' model
 * names, a price table (`LLM_PRICES`) and a fresh directory for the demo repositories and workspaces
 * (`root`, for the caller to remove).
 */
export function scriptedProviderEnv(modelsUrl: string, prices: Record<string, { input: number; output: number }>) {
  const root = mkdtempSync(join(tmpdir(), "scripted-agents-"));
  // The sandbox runs tests as `nobody` when the services run as root: the workspaces must be reachable.
  chmodSync(root, 0o755);
  const env = {
    LLM_PROVIDER: "openai-compatible",
    LLM_BASE_URL: modelsUrl,
    ...SCRIPTED_ROLE_MODELS,
    LLM_PRICES: JSON.stringify(prices),
    REPOS_DIR: join(root, "repos"),
    WORKSPACES_DIR: join(root, "workspaces"),
  };
  return { env, root };
}

export function scriptedFindings() {
  const scripts = new Map<string, FindingScript>();
  return {
    set: (findingId: string, script: FindingScript) => void scripts.set(findingId, script),
    /** The scripted server's script: a 400 for a finding or role nobody scripted. */
    route(request: ScriptedRequest): ScriptedReply {
      const messages = request.body.messages as { role: string }[];
      const findingId = /Finding ([\w.-]+) \(/.exec(JSON.stringify(messages))?.[1];
      const role = String(request.body.model).replace("scripted-", "") as ScriptedRole;
      const turn = messages.filter((message) => message.role === "assistant").length + 1;
      const script = findingId ? scripts.get(findingId)?.[role] : undefined;
      return script ? script(turn, request) : reply.error(400, `no script for ${findingId ?? "an unknown finding"} as ${role}`);
    },
  };
}

/** Tokens a scripted turn reports, by the executor's turn (1-4) and for the judge. */
export const FIX_TURN_USAGE = {
  executor: [
    { input: 1000, output: 100 },
    { input: 1200, output: 300 },
    { input: 1500, output: 50 },
    { input: 2000, output: 200 },
  ],
  judge: { input: 3000, output: 40 },
} as const;

/**
 * A fast executor that fixes a demo repository as a model would: it lists the files, writes the fix
 * (`files`: path → content, e.g. demoRepoFix's), runs the tests and hands in its plan; the judge approves.
 * Each turn reports FIX_TURN_USAGE's tokens.
 */
export function fixingScript(files: Record<string, string>, summary: string): FindingScript {
  const [list, write, test, handIn] = FIX_TURN_USAGE.executor;
  return {
    fast: (turn) => {
      switch (turn) {
        case 1:
          return reply.toolCalls([{ name: "list_files", input: { path: "." } }], list);
        case 2:
          return reply.toolCalls(
            Object.entries(files).map(([path, content]) => ({ name: "write_file", input: { path, content } })),
            write,
          );
        case 3:
          return reply.toolCalls([{ name: "run_tests", input: {} }], test);
        default:
          return reply.toolCalls(
            [
              {
                name: "hand_in_plan",
                input: {
                  summary,
                  steps: [{ description: "Merge the pull request" }],
                  rollback: ["Revert the pull request"],
                  confidence: 0.9,
                  ticket: { title: summary, body: summary },
                  pullRequest: { title: `fix: ${summary}`, branch: "remediation/fix", body: summary },
                },
              },
            ],
            handIn,
          );
      }
    },
    judge: () => reply.json({ verdict: "approve", commentary: "The change fixes the finding and the tests pass." }, FIX_TURN_USAGE.judge),
  };
}
