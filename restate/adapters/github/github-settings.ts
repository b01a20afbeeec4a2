// The GitHub code host's settings (CODE_HOST=github), read once at start-up: a bad or missing value stops
// the services with a message naming the variable. The token is read here and kept in memory only.
import { readFileSync } from "node:fs";
import { z } from "zod";

export interface GithubSettings {
  token: string;
  /** REST API root: https://api.github.com, or GitHub Enterprise's https://host/api/v3. */
  apiUrl: string;
  /** Owner of every repository a finding names without one; null when findings name `owner/repo`. */
  owner: string | null;
  /** Each request's bound; a slower answer is retried like a 5xx. */
  timeoutMs: number;
}

export class GithubConfigError extends Error {
  override name = "GithubConfigError";
}

const GithubEnvSchema = z.object({
  GITHUB_TOKEN: z.string().trim().min(1, "must not be empty").optional(),
  GITHUB_TOKEN_FILE: z.string().min(1, "must not be empty").optional(),
  GITHUB_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. https://api.github.com" }).default("https://api.github.com"),
  GITHUB_OWNER: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "must be a GitHub user or organization name")
    .optional(),
  GITHUB_TIMEOUT_MS: z.coerce.number({ error: "must be a whole number of milliseconds" }).int().min(100).max(600_000).default(30_000),
});

export function githubSettingsFromEnv(env: Record<string, string | undefined> = process.env): GithubSettings {
  const parsed = GithubEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GithubConfigError(`${String(issue?.path[0] ?? "GITHUB_*")}: ${issue?.message ?? "invalid"}`);
  }
  const values = parsed.data;
  if (values.GITHUB_TOKEN && values.GITHUB_TOKEN_FILE) throw new GithubConfigError("GITHUB_TOKEN and GITHUB_TOKEN_FILE: set one, not both");
  let token = values.GITHUB_TOKEN;
  if (values.GITHUB_TOKEN_FILE) {
    try {
      token = readFileSync(values.GITHUB_TOKEN_FILE, "utf8").trim();
    } catch (error) {
      throw new GithubConfigError(`GITHUB_TOKEN_FILE: cannot read ${values.GITHUB_TOKEN_FILE} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (!token) throw new GithubConfigError(`GITHUB_TOKEN_FILE: ${values.GITHUB_TOKEN_FILE} is empty`);
  }
  if (!token) throw new GithubConfigError("GITHUB_TOKEN: CODE_HOST=github needs a token (GITHUB_TOKEN or GITHUB_TOKEN_FILE)");
  return { token, apiUrl: values.GITHUB_API_URL.replace(/\/+$/, ""), owner: values.GITHUB_OWNER ?? null, timeoutMs: values.GITHUB_TIMEOUT_MS };
}
