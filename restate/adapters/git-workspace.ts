// The agents' workspace with a real provider: one git clone of the finding's repository per rung
// (restate/workspace), keyed by the rung's open key (the sub-agent's invocation id), its tools run by
// runTool and its change read by diffOf.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { repositoryPath, UnknownRepositoryError } from "../workspace/demo-repos";
import { runTool, TOOL_INPUT_SCHEMAS, WORKSPACE_TOOL_NAMES, WORKSPACE_TOOLS } from "../workspace/tools";
import { diffOf, discardWorkspace, openWorkspace, workspaceDirName, type Workspace } from "../workspace/workspaces";
import type { WorkspaceSettings } from "../workspace/workspace-settings";
import { PermanentAdapterError, type AgentWorkspace, type ToolSpec, type WorkspaceRef } from "./ports";

/** The workspace tools as model APIs take them: JSON Schema of what the model may send. */
export const GIT_WORKSPACE_TOOLS: readonly ToolSpec[] = WORKSPACE_TOOL_NAMES.map((name) => {
  const { description } = WORKSPACE_TOOLS[name];
  return {
    name,
    description: typeof description === "string" ? description : name,
    inputSchema: z.toJSONSchema(TOOL_INPUT_SCHEMAS[name], { io: "input" }) as Record<string, unknown>,
  };
});

/** How much of a test run's report the plan keeps: its end, where the runner sums up. */
const TEST_OUTPUT_TAIL_CHARS = 2_000;

export function gitWorkspace(settings: WorkspaceSettings): AgentWorkspace {
  // The ref names the clone by its key; the directory follows from it, as openWorkspace names it. The
  // tools, the diff and the discard read only the directory, the key and the base revision.
  const workspaceOf = (ref: WorkspaceRef): Workspace => ({
    runKey: ref.id,
    repo: "",
    dir: join(settings.workspacesDir, workspaceDirName(ref.id)),
    baseRevision: ref.baseRevision,
  });
  return {
    tools: GIT_WORKSPACE_TOOLS,
    async missingRepository(repo) {
      return repositoryPath(settings.reposDir, repo) ? null : `no code host has the repository "${repo}" (looked under REPOS_DIR, ${settings.reposDir})`;
    },
    async open({ idempotencyKey, repo }) {
      try {
        const workspace = await openWorkspace({ repo, runKey: idempotencyKey }, settings);
        return { system: "workspace", id: workspace.runKey, url: pathToFileURL(workspace.dir).href, baseRevision: workspace.baseRevision };
      } catch (error) {
        if (error instanceof UnknownRepositoryError) throw new PermanentAdapterError(error.message);
        throw error;
      }
    },
    async runTool({ workspace, call }) {
      const result = await runTool(workspaceOf(workspace), call.toolName, call.input, settings);
      const { testRun } = result;
      return {
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: result.text,
        isError: result.outcome !== "ok",
        ...(testRun && {
          testRun: { command: testRun.command, exitCode: testRun.exitCode, passed: testRun.passed, output: result.text.slice(-TEST_OUTPUT_TAIL_CHARS) },
        }),
      };
    },
    async diff({ workspace }) {
      const { diff, files } = await diffOf(workspaceOf(workspace));
      return { diff, files: files.map((file) => file.path) };
    },
    async discard({ workspace }) {
      await discardWorkspace(workspaceOf(workspace));
    },
  };
}
