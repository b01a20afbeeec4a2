// The GitHub code host (CODE_HOST=github), over the REST API with Octokit and no local clone: the approved
// diff is applied to the base revision's copies of the files it touches, and the result pushed with the
// git data API (blobs, tree, commit carrying the provenance trailers, branch ref); then the PR is opened.
// Closing it (compensation) closes the PR and deletes the branch. The branch is named from the step's
// idempotency key, so a retried step finds the branch and PR it made before instead of making new ones.
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Octokit } from "@octokit/rest";
import { z } from "zod";
import type { ExternalRef, PlanChange } from "../../contracts/schemas";
import { git } from "../../workspace/git";
import { resolveInWorkspace } from "../../workspace/paths";
import { PermanentAdapterError, RetryLaterAdapterError, type CodeHost } from "../ports";
import { commitMessage, pullRequestBody, type Provenance } from "../provenance";
import { pullRequestBranch } from "../pull-request-branch";
import type { ConnectionCheck } from "../ports";
import type { GithubSettings } from "./github-settings";

const COMMITTER = { name: "Remediation Workflow", email: "remediation-workflow@users.noreply.github.com" };
/** What GitHub asks a client to wait after a secondary rate limit that names no time. */
const SECONDARY_LIMIT_WAIT_MS = 60_000;

const PullSchema = z.object({ number: z.number().int(), html_url: z.string(), state: z.string(), head: z.object({ ref: z.string() }) });
const RefSchema = z.object({ object: z.object({ sha: z.string() }) });
const CommitSchema = z.object({ sha: z.string(), tree: z.object({ sha: z.string() }) });
const TreeSchema = z.object({
  sha: z.string(),
  truncated: z.boolean().optional(),
  tree: z.array(z.object({ path: z.string(), mode: z.string(), type: z.string(), sha: z.string().optional() })),
});
const BlobSchema = z.object({ content: z.string(), encoding: z.string() });
const ShaSchema = z.object({ sha: z.string() });
const RepositorySchema = z.object({ default_branch: z.string() });
const UserSchema = z.object({ login: z.string() });

interface HttpFailure {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | undefined> };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return error instanceof Error && typeof (error as Partial<HttpFailure>).status === "number";
}

/**
 * GitHub's answer as the retry policy reads it: rate limits (429, or a 403 that says so) wait what GitHub
 * asks; 5xx, timeouts and lost connections are retried; any other 4xx is permanent.
 */
export function adapterErrorOf(error: unknown, what: string): Error {
  if (!isHttpFailure(error)) return error instanceof Error ? error : new Error(String(error));
  const headers = error.response?.headers ?? {};
  const message = `GitHub answered ${error.status} to ${what}: ${error.message}`;
  const retryAfter = Number(headers["retry-after"]);
  const rateLimited =
    error.status === 429 ||
    (error.status === 403 && (headers["retry-after"] !== undefined || headers["x-ratelimit-remaining"] === "0" || /rate limit/i.test(error.message)));
  if (rateLimited) {
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return new RetryLaterAdapterError(message, retryAfter * 1000);
    const reset = Number(headers["x-ratelimit-reset"]);
    if (headers["x-ratelimit-remaining"] === "0" && Number.isFinite(reset)) return new RetryLaterAdapterError(message, Math.max(0, reset * 1000 - Date.now()));
    return new RetryLaterAdapterError(message, SECONDARY_LIMIT_WAIT_MS);
  }
  if (error.status >= 500) return Number.isFinite(retryAfter) ? new RetryLaterAdapterError(message, retryAfter * 1000) : new Error(message);
  return new PermanentAdapterError(message);
}

/** The answer's data in the shape we use; anything else (a proxy's HTML page, say) is retried. */
function shaped<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`GitHub's answer to ${what} is not what the API returns: ${String(JSON.stringify(data)).slice(0, 120)}`);
  return parsed.data;
}

function splitRepo(repo: string, owner: string | null): { owner: string; repo: string } {
  const parts = repo.split("/");
  if (parts.length === 2 && parts[0] && parts[1]) return { owner: parts[0], repo: parts[1] };
  if (parts.length === 1 && owner) return { owner, repo };
  throw new PermanentAdapterError(`"${repo}" names no GitHub repository: set GITHUB_OWNER, or name findings' repositories as owner/repo.`);
}

export function githubCodeHost(settings: GithubSettings): CodeHost & ConnectionCheck {
  const octokit = new Octokit({
    auth: settings.token,
    baseUrl: settings.apiUrl,
    userAgent: "restate-remediation-console",
    request: { fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(settings.timeoutMs) }) },
    // A failed request is the step's error (journaled, in the services' log once); Octokit would print each one again.
    log: { debug: () => undefined, info: () => undefined, warn: console.warn, error: () => undefined },
  });

  /** One request: its data shaped by `schema`, its failure an adapter error; `absentOn` statuses give null. */
  async function call<T>(what: string, schema: z.ZodType<T>, request: () => Promise<{ data: unknown }>, absentOn: number[] = []): Promise<T | null> {
    let data: unknown;
    try {
      ({ data } = await request());
    } catch (error) {
      if (isHttpFailure(error) && absentOn.includes(error.status)) return null;
      throw adapterErrorOf(error, what);
    }
    return shaped(schema, data, what);
  }
  const must = async <T>(value: Promise<T | null>): Promise<T> => (await value)!;

  async function findPullRequest(owner: string, repo: string, branch: string) {
    const pulls = await must(
      call(`GET pulls of ${owner}/${repo}`, z.array(PullSchema), () =>
        octokit.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: "all", per_page: 10 }),
      ),
    );
    return pulls.find((pull) => pull.head.ref === branch) ?? null;
  }

  /** The base revision's copies of the touched files, patched in a scratch directory by `git apply`. */
  async function patchedFiles(owner: string, repo: string, change: PlanChange, baseTreeSha: string) {
    const tree = await must(
      call(`GET tree ${baseTreeSha}`, TreeSchema, () => octokit.rest.git.getTree({ owner, repo, tree_sha: baseTreeSha, recursive: "true" })),
    );
    if (tree.truncated)
      throw new PermanentAdapterError(`${owner}/${repo}'s tree is too large for GitHub to list whole; the change cannot be pushed without a clone.`);
    const scratch = await mkdtemp(join(tmpdir(), "github-change-"));
    try {
      const placeOf = (path: string) => {
        const place = resolveInWorkspace(scratch, path);
        if (!place.ok) throw new PermanentAdapterError(`The change names a path that cannot be in the repository: ${place.reason}`);
        return place.path;
      };
      for (const path of change.files) {
        const entry = tree.tree.find((candidate) => candidate.path === path && candidate.type === "blob");
        if (!entry?.sha) continue;
        const blob = await must(call(`GET blob ${entry.sha}`, BlobSchema, () => octokit.rest.git.getBlob({ owner, repo, file_sha: entry.sha! })));
        const file = placeOf(path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8"));
        if (entry.mode === "100755") await chmod(file, 0o755);
      }
      await git(["apply", "--whitespace=nowarn", "-"], { cwd: scratch, input: change.diff }).catch((error: unknown) => {
        throw new PermanentAdapterError(`The approved diff does not apply to ${change.baseRevision}: ${(error as Error).message}`);
      });
      const files: { path: string; content: Buffer | null; executable: boolean }[] = [];
      for (const path of change.files) {
        const file = placeOf(path);
        const found = await stat(file).catch(() => null);
        files.push({ path, content: found ? await readFile(file) : null, executable: Boolean(found && found.mode & 0o111) });
      }
      return files;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Blobs, tree and commit for the change on its base revision; the same inputs give the same commit sha. */
  async function pushCommit(owner: string, repo: string, change: PlanChange, message: string, provenance: Provenance): Promise<string> {
    const base = await call(
      `GET commit ${change.baseRevision}`,
      CommitSchema,
      () => octokit.rest.git.getCommit({ owner, repo, commit_sha: change.baseRevision }),
      [404, 422],
    );
    if (!base) throw new PermanentAdapterError(`The plan's base revision ${change.baseRevision} is not in ${owner}/${repo}.`);
    const entries: { path: string; mode: "100644" | "100755"; type: "blob"; sha: string | null }[] = [];
    for (const file of await patchedFiles(owner, repo, change, base.tree.sha)) {
      const mode = file.executable ? ("100755" as const) : ("100644" as const);
      if (!file.content) {
        entries.push({ path: file.path, mode, type: "blob", sha: null });
        continue;
      }
      const content = file.content.toString("base64");
      const blob = await must(call(`POST blob for ${file.path}`, ShaSchema, () => octokit.rest.git.createBlob({ owner, repo, content, encoding: "base64" })));
      entries.push({ path: file.path, mode, type: "blob", sha: blob.sha });
    }
    const tree = await must(call("POST tree", ShaSchema, () => octokit.rest.git.createTree({ owner, repo, base_tree: base.tree.sha, tree: entries })));
    const signature = { ...COMMITTER, date: provenance.clearedAt };
    const commit = await must(
      call("POST commit", ShaSchema, () =>
        octokit.rest.git.createCommit({ owner, repo, message, tree: tree.sha, parents: [change.baseRevision], author: signature, committer: signature }),
      ),
    );
    return commit.sha;
  }

  const headOf = (owner: string, repo: string, branch: string) =>
    call(`GET ref heads/${branch}`, RefSchema, () => octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` }), [404]).then(
      (ref) => ref?.object.sha ?? null,
    );

  async function createBranch(owner: string, repo: string, branch: string, sha: string): Promise<void> {
    try {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha });
    } catch (error) {
      // 422: it exists already (an earlier attempt made it before its answer was lost).
      if (!isHttpFailure(error) || error.status !== 422) throw adapterErrorOf(error, `POST ref heads/${branch}`);
      const head = await headOf(owner, repo, branch);
      if (head !== sha) throw new PermanentAdapterError(`Branch ${branch} already exists in ${owner}/${repo} at another commit (${head ?? "unreadable"}).`);
    }
  }

  const refOf = (owner: string, repo: string, pull: z.infer<typeof PullSchema>): ExternalRef => ({
    system: "github",
    id: `${owner}/${repo}#${pull.number}`,
    url: pull.html_url,
  });

  return {
    async checkConnection() {
      const user = await must(call("GET user", UserSchema, () => octokit.rest.users.getAuthenticated()));
      return `signed in to ${settings.apiUrl} as ${user.login}`;
    },

    async openPullRequest(input) {
      const { owner, repo } = splitRepo(input.repo, settings.owner);
      const change = input.change?.diff ? input.change : undefined;
      if (!change)
        throw new PermanentAdapterError("The plan carries no change (it only describes the fix): GitHub cannot open a pull request without a commit.");
      const branch = pullRequestBranch(input.branch, input.findingId, input.idempotencyKey);
      const existing = await findPullRequest(owner, repo, branch);
      if (existing) return refOf(owner, repo, existing);

      if (!(await headOf(owner, repo, branch))) {
        const commit = await pushCommit(owner, repo, change, commitMessage(input.title, input.provenance), input.provenance);
        await createBranch(owner, repo, branch, commit);
      }
      const repository = await must(call(`GET ${owner}/${repo}`, RepositorySchema, () => octokit.rest.repos.get({ owner, repo })));
      const body = pullRequestBody(input.body, input.provenance);
      try {
        const { data } = await octokit.rest.pulls.create({ owner, repo, title: input.title, head: branch, base: repository.default_branch, body });
        return refOf(owner, repo, shaped(PullSchema, data, "POST pull"));
      } catch (error) {
        // 422 "A pull request already exists": an earlier attempt opened it.
        const opened = isHttpFailure(error) && error.status === 422 ? await findPullRequest(owner, repo, branch) : null;
        if (opened) return refOf(owner, repo, opened);
        throw adapterErrorOf(error, `POST pull for ${branch}`);
      }
    },

    async closePullRequest({ pullRequest }) {
      const match = /^([^/]+)\/([^#]+)#(\d+)$/.exec(pullRequest.id);
      if (!match) throw new PermanentAdapterError(`"${pullRequest.id}" is not a GitHub pull request reference (owner/repo#number).`);
      const [, owner, repo, number] = match as unknown as [string, string, string, string];
      const pull_number = Number(number);
      const pull = await must(call(`GET pull ${pullRequest.id}`, PullSchema, () => octokit.rest.pulls.get({ owner, repo, pull_number })));
      if (pull.state !== "closed") {
        await call(`PATCH pull ${pullRequest.id}`, z.unknown(), () => octokit.rest.pulls.update({ owner, repo, pull_number, state: "closed" }));
      }
      // Already deleted (404, or 422 "Reference does not exist") is what we want.
      await call(
        `DELETE ref heads/${pull.head.ref}`,
        z.unknown(),
        () => octokit.rest.git.deleteRef({ owner, repo, ref: `heads/${pull.head.ref}` }),
        [404, 422],
      );
    },
  };
}
