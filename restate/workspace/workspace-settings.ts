// Where repositories and workspaces live, which commands an agent may run and how they are bounded:
// WORKSPACE_*/REPOS_DIR variables, checked once; a bad value names the variable.
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { jsonSetting } from "../contracts/json-setting";

export const SANDBOX_MODES = ["auto", "bwrap", "unshare", "none"] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

const commandList = jsonSetting(
  z.array(z.string().trim().min(1, "a command must not be empty")).min(1),
  'must be a JSON array of command lines, e.g. ["node --test"]',
).transform((commands) => commands.map(commandWords));

const positiveInteger = (unit: string, max: number) =>
  z.coerce
    .number({ error: `must be a whole number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(1, `must be at least 1 ${unit}`)
    .max(max, `must be at most ${max} ${unit}`);

export const WorkspaceEnvSchema = z.object({
  REPOS_DIR: z.string().min(1, "must not be empty").default(".data/repos"),
  WORKSPACES_DIR: z.string().min(1, "must not be empty").default(".data/workspaces"),
  WORKSPACE_COMMANDS: commandList.default([["node", "--test"]]),
  WORKSPACE_SANDBOX: z.enum(SANDBOX_MODES, { error: `must be one of ${SANDBOX_MODES.join(", ")}` }).default("auto"),
  WORKSPACE_COMMAND_TIMEOUT_MS: positiveInteger("milliseconds", 3_600_000).default(120_000),
  WORKSPACE_OUTPUT_CAP_BYTES: positiveInteger("bytes", 16 * 1024 * 1024).default(32 * 1024),
});

export interface WorkspaceSettings {
  /** Bare (`name.git`) or plain git repositories, by the finding's repo name. */
  reposDir: string;
  /** One clone per rung lives here. */
  workspacesDir: string;
  /** The allowlisted commands, as words; the first is the repository's test command. */
  commands: string[][];
  /** `auto`: bubblewrap if it works, else a network namespace (unshare); `none` runs commands unisolated. */
  sandbox: SandboxMode;
  commandTimeoutMs: number;
  /** The most a tool gives back (command output, a file read, search hits); the rest is cut with a note. */
  outputCapBytes: number;
}

export class WorkspaceConfigError extends Error {
  override name = "WorkspaceConfigError";
}

/** A command line as words: split on white space, no quoting, no shell. */
export function commandWords(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

export function workspaceSettingsFromEnv(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): WorkspaceSettings {
  const parsed = WorkspaceEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WorkspaceConfigError(`${String(issue?.path[0] ?? "WORKSPACE_*")}: ${issue?.message ?? "invalid"}`);
  }
  const values = parsed.data;
  const absolute = (dir: string) => (isAbsolute(dir) ? dir : resolve(cwd, dir));
  return {
    reposDir: absolute(values.REPOS_DIR),
    workspacesDir: absolute(values.WORKSPACES_DIR),
    commands: values.WORKSPACE_COMMANDS,
    sandbox: values.WORKSPACE_SANDBOX,
    commandTimeoutMs: values.WORKSPACE_COMMAND_TIMEOUT_MS,
    outputCapBytes: values.WORKSPACE_OUTPUT_CAP_BYTES,
  };
}
