// The embedded code host: the git repositories under REPOS_DIR. A pull request is a branch holding exactly
// the approved diff, applied onto the plan's base revision and committed with git's plumbing (a scratch
// index: no work tree, the default branch never touched), plus a record under OUTSIDE_WORLD_DIR that the
// console lists. Closing it (compensation) marks the record closed and deletes the branch.
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { PullRequestRecordSchema, type PullRequestRecord } from "../../contracts/pull-requests";
import type { ExternalRef, PlanChange } from "../../contracts/schemas";
import { repositoryPath } from "../../workspace/demo-repos";
import { git, GitError } from "../../workspace/git";
import { PermanentAdapterError, type CodeHost } from "../ports";
import { commitMessage, pullRequestBody } from "../provenance";
import { pullRequestBranch } from "../pull-request-branch";

export const LOCAL_CODE_HOST = "local-git";

/** The commits the embedded host makes are authored by the workflow; the approvers are in the trailers. */
const COMMITTER = { name: "Remediation Workflow", email: "remediation-workflow@localhost.invalid" };

const StoredRecordSchema = PullRequestRecordSchema.extend({ idempotencyKey: z.string() });
type StoredRecord = z.infer<typeof StoredRecordSchema>;
const StoreSchema = z.object({ pullRequests: z.array(StoredRecordSchema) });

export interface LocalCodeHostSettings {
  reposDir: string;
  /** OUTSIDE_WORLD_DIR: the records go to `pull-requests.json` in it. */
  recordsDir: string;
  /** Makes each record's link absolute (the console's pull-requests page); relative without it. */
  consoleUrl?: string;
}

export interface LocalCodeHost extends CodeHost {
  /** The records, newest first; only `findingId`'s when given. */
  list(findingId?: string): Promise<PullRequestRecord[]>;
}

/** One writer at a time per records file within this process; each write replaces the file whole. */
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(file: string, work: () => Promise<T>): Promise<T> {
  const next = (queues.get(file) ?? Promise.resolve()).then(work, work);
  queues.set(
    file,
    next.catch(() => undefined),
  );
  return next;
}

function refOf(record: PullRequestRecord): ExternalRef {
  return { system: LOCAL_CODE_HOST, id: `${record.repo}#${record.number}`, url: record.link };
}

/** Applies `change.diff` onto its base revision in `repoPath` and puts the commit on `branch` (created, never moved). */
async function commitChange(repoPath: string, change: PlanChange, branch: string, message: string, date: string): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), "code-host-index-"));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, "index") };
    const run = (args: string[], input?: string) => git(args, { cwd: repoPath, env, input });
    await run(["cat-file", "-e", `${change.baseRevision}^{commit}`]).catch(() => {
      throw new PermanentAdapterError(`The plan's base revision ${change.baseRevision} is not in ${repoPath}.`);
    });
    await run(["read-tree", change.baseRevision]);
    await run(["apply", "--cached", "--whitespace=nowarn", "-"], change.diff).catch((error: unknown) => {
      throw new PermanentAdapterError(`The approved diff does not apply to ${change.baseRevision}: ${(error as Error).message}`);
    });
    const tree = (await run(["write-tree"])).trim();
    const identity = {
      GIT_AUTHOR_NAME: COMMITTER.name,
      GIT_AUTHOR_EMAIL: COMMITTER.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: COMMITTER.name,
      GIT_COMMITTER_EMAIL: COMMITTER.email,
      GIT_COMMITTER_DATE: date,
    };
    // Same tree, parent, message and date: a retried step makes the very same commit.
    const commit = (await git(["commit-tree", tree, "-p", change.baseRevision, "-F", "-"], { cwd: repoPath, env: identity, input: message })).trim();
    const ref = `refs/heads/${branch}`;
    try {
      await run(["update-ref", ref, commit, ""]);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      const current = (await run(["rev-parse", "--verify", "-q", ref]).catch(() => "")).trim();
      if (current !== commit) throw new PermanentAdapterError(`Branch ${branch} already exists in ${repoPath} at another commit (${current || "unreadable"}).`);
    }
    return commit;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export function localCodeHost(settings: LocalCodeHostSettings): LocalCodeHost {
  const file = join(settings.recordsDir, "pull-requests.json");

  async function load(): Promise<StoredRecord[]> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return StoreSchema.parse(JSON.parse(text)).pullRequests;
  }

  async function save(pullRequests: StoredRecord[]): Promise<void> {
    await mkdir(settings.recordsDir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ pullRequests }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, file);
  }

  const linkFor = (number: number) => `${settings.consoleUrl?.replace(/\/+$/, "") ?? ""}/pull-requests#pr-${number}`;

  return {
    openPullRequest: (input) =>
      serialized(file, async () => {
        const pullRequests = await load();
        const existing = pullRequests.find((record) => record.idempotencyKey === input.idempotencyKey);
        if (existing) return refOf(existing);

        const number = Math.max(0, ...pullRequests.map((record) => record.number)) + 1;
        const change = input.change?.diff ? input.change : undefined;
        let pushed: Pick<PullRequestRecord, "branch" | "commit" | "baseRevision" | "noBranchReason">;
        if (!change) {
          pushed = {
            branch: null,
            commit: null,
            baseRevision: null,
            noBranchReason: "The plan carries no change (it only describes the fix): nothing was pushed.",
          };
        } else {
          const repoPath = repositoryPath(settings.reposDir, input.repo);
          if (!repoPath) throw new PermanentAdapterError(`No repository "${input.repo}" under ${settings.reposDir}: the change has nowhere to go.`);
          const branch = pullRequestBranch(input.branch, input.findingId, input.idempotencyKey);
          const commit = await commitChange(repoPath, change, branch, commitMessage(input.title, input.provenance), input.provenance.clearedAt);
          pushed = { branch, commit, baseRevision: change.baseRevision };
        }
        const record: StoredRecord = {
          number,
          repo: input.repo,
          findingId: input.findingId,
          ...pushed,
          title: input.title,
          body: pullRequestBody(input.body, input.provenance),
          status: "open",
          link: linkFor(number),
          openedAt: new Date().toISOString(),
          idempotencyKey: input.idempotencyKey,
        };
        await save([...pullRequests, record]);
        return refOf(record);
      }),

    closePullRequest: ({ pullRequest, reason }) =>
      serialized(file, async () => {
        const pullRequests = await load();
        const record = pullRequests.find((candidate) => refOf(candidate).id === pullRequest.id);
        if (!record) throw new PermanentAdapterError(`No pull request ${pullRequest.id} on the embedded code host.`);
        if (record.status === "closed") return;
        const repoPath = repositoryPath(settings.reposDir, record.repo);
        if (record.branch && record.commit && repoPath) {
          // Deleted only while it still holds our commit; already gone is fine.
          const current = (await git(["rev-parse", "--verify", "-q", `refs/heads/${record.branch}`], { cwd: repoPath }).catch(() => "")).trim();
          if (current === record.commit) await git(["update-ref", "-d", `refs/heads/${record.branch}`, record.commit], { cwd: repoPath });
        }
        record.status = "closed";
        record.closedAt = new Date().toISOString();
        record.closeReason = reason;
        await save(pullRequests);
      }),

    async list(findingId) {
      const pullRequests = await load();
      return pullRequests
        .filter((record) => !findingId || record.findingId === findingId)
        .reverse()
        .map(({ idempotencyKey: _key, ...record }) => record);
    },
  };
}
