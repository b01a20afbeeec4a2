// The code hosts in the workflow, on a real restate-server with the stub provider working in real
// workspaces of the demo repositories. CODE_HOST=local: a signed-off run ends with a branch in the
// repository holding exactly the approved diff and the provenance, and a run whose later effect fails
// for good closes its PR and deletes the branch. CODE_HOST=github, against a scripted GitHub: the same
// change lands there once, across a services SIGKILL, and the token is nowhere in the journal or the logs.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedGithub, type ScriptedGithub } from "../adapters/github/scripted-github";
import type { PullRequests } from "../console/pull-requests";
import type { PlanChange, Status } from "../contracts/schemas";
import { repositoryPath, seedDemoRepos } from "../workspace/demo-repos";
import { git } from "../workspace/git";
import { finding, startTestStack, type TestStack } from "./harness";

let root: string;
let reposDir: string;
let repoPath: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "code-host-"));
  // The sandbox runs tests as `nobody` when the services run as root: the workspaces must be reachable.
  chmodSync(root, 0o755);
  reposDir = join(root, "repos");
  await seedDemoRepos(reposDir);
  repoPath = repositoryPath(reposDir, "web-storefront")!;
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const inRepo = (...args: string[]) => git(args, { cwd: repoPath });
const acceptedChange = (status: Status) => status.plans.find((record) => record.plan.agent === status.verdict?.agent)?.plan.change;

/** Submits a high-severity finding for web-storefront as sam, and signs it off as ana. */
async function signedOffRun(stack: TestStack): Promise<{ status: Status; change: PlanChange }> {
  const high = finding({ severity: "high", repo: "web-storefront" });
  await stack.submitAs("sam", high);
  await stack.waitForStage(high.id, "awaiting-approval");
  await stack.approve(high.id, { approved: true, approver: "ana", comment: "ship it" });
  const status = await stack.waitForStage(high.id, "completed");
  const change = acceptedChange(status);
  expect(change?.diff).toMatch(/^diff --git /);
  return { status, change: change! };
}

describe("CODE_HOST=local", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      servicesEnv: {
        CODE_HOST: "local",
        REPOS_DIR: reposDir,
        WORKSPACES_DIR: join(root, "workspaces-local"),
        CONSOLE_URL: "http://console.test",
        STUB_FAULTS: JSON.stringify([{ system: "slack", action: "post-message", findingPrefix: "broken-", mode: "permanent" }]),
      },
    });
  });
  afterAll(() => stack?.stop());

  const pullRequestsOf = (findingId: string) => stack.ingress.serviceClient<PullRequests>({ name: "PullRequests" }).list({ findingId });

  it("a run signed off ends with a branch holding exactly the approved diff, its commit carrying the run's provenance", async () => {
    const mainBefore = await inRepo("rev-parse", "refs/heads/main");
    const { status, change } = await signedOffRun(stack);

    const { codeHost, pullRequests } = await pullRequestsOf(status.findingId);
    expect(codeHost).toBe("local");
    expect(pullRequests).toHaveLength(1);
    const [record] = pullRequests;
    expect(status.pullRequest).toEqual({
      system: "local-git",
      id: `web-storefront#${record!.number}`,
      url: `http://console.test/pull-requests#pr-${record!.number}`,
    });
    expect(record).toMatchObject({ status: "open", repo: "web-storefront", baseRevision: change.baseRevision });
    const branch = record!.branch!;
    expect(await inRepo("diff", "--text", "--no-renames", change.baseRevision, branch)).toBe(change.diff);
    expect((await inRepo("rev-parse", `${branch}^`)).trim()).toBe(change.baseRevision);
    expect(await inRepo("rev-parse", "refs/heads/main")).toBe(mainBefore);

    const trailers = await inRepo("log", "-1", "--format=%(trailers:only,unfold)", branch);
    const approval = status.approvals[0]!;
    expect(trailers).toContain(`Remediation-Run: http://console.test/findings/${status.findingId}\n`);
    expect(trailers).toContain(`Restate-Invocation: ${status.identity!.invocationId}\n`);
    expect(trailers).toContain(`Prompt-Version: ${status.identity!.promptVersion}\n`);
    expect(trailers).toContain(`Judge-Verdict: approved (score ${status.verdict!.score.toFixed(2)})\n`);
    expect(trailers).toContain(`Approved-By: ana at ${approval.decidedAt}\n`);
    expect(record!.body).toContain(`| Approved-By | \`ana at ${approval.decidedAt}\` |`);
  });

  it("a run whose notification fails for good closes its PR and deletes the branch", async () => {
    const broken = finding({ id: `broken-${Date.now().toString(36)}`, severity: "low", repo: "web-storefront" });
    await stack.workflow(broken.id).workflowSubmit(broken);
    const status = await stack.waitForStage(broken.id, "failed");

    expect(status.failure).toContain("Compensated: closed pull request web-storefront#");
    const [record] = (await pullRequestsOf(broken.id)).pullRequests;
    expect(record).toMatchObject({ status: "closed", closeReason: "remediation aborted" });
    expect(record!.branch).toBeTruthy();
    expect(await inRepo("for-each-ref", `refs/heads/${record!.branch}`)).toBe("");
  });
});

describe("CODE_HOST=github", () => {
  let stack: TestStack;
  let github: ScriptedGithub;
  beforeAll(async () => {
    github = await startScriptedGithub({ gitDir: repoPath, revision: (await inRepo("rev-parse", "refs/heads/main")).trim() });
    stack = await startTestStack({
      servicesEnv: {
        CODE_HOST: "github",
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: github.token,
        GITHUB_OWNER: github.owner,
        REPOS_DIR: reposDir,
        WORKSPACES_DIR: join(root, "workspaces-github"),
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await github?.close();
  });

  /** The tree the approved diff gives on its base, path → blob sha, as git itself applies it. */
  async function expectedBlobs(change: PlanChange): Promise<Map<string, string>> {
    const env = { GIT_INDEX_FILE: join(root, `expected-${Date.now()}.index`) };
    await git(["read-tree", change.baseRevision], { cwd: repoPath, env });
    await git(["apply", "--cached", "-"], { cwd: repoPath, env, input: change.diff });
    const listing = await git(["ls-files", "-s", "-z"], { cwd: repoPath, env });
    return new Map(
      listing
        .split("\0")
        .filter(Boolean)
        .map((line) => {
          const [meta, path] = line.split("\t") as [string, string];
          return [path, meta.split(" ")[1]!];
        }),
    );
  }

  it("a run signed off opens one PR with exactly the approved change, across a services SIGKILL, and the token is nowhere in the journal or the logs", async () => {
    // The services die while GitHub is opening the PR: the answer is lost, the step runs again.
    github.fail("POST pulls", { kind: "slow", delayMs: 1_500 });
    let killed: Promise<void> | undefined;
    github.onRequest((route) => {
      if (route === "POST pulls" && !killed) killed = stack.restartServices("kill");
    });
    const { status, change } = await signedOffRun(stack);
    await killed;

    expect(github.created.pulls).toBe(1);
    // The step ran again after the kill: it looked for its PR a second time.
    expect(github.requests.filter((route) => route === "GET pulls").length).toBeGreaterThanOrEqual(2);
    const [pull] = github.pulls;
    expect(status.pullRequest).toEqual({
      system: "github",
      id: `acme/web-storefront#${pull!.number}`,
      url: `https://github.example/acme/web-storefront/pull/${pull!.number}`,
    });
    const head = github.refs.get(`heads/${pull!.head}`)!;
    expect(github.commits.get(head)!.parents).toEqual([change.baseRevision]);
    expect(github.blobsAt(head)).toEqual(await expectedBlobs(change));
    expect(github.commits.get(head)!.message).toContain(`\nApproved-By: ana at ${status.approvals[0]!.decidedAt}\n`);
    expect(pull!.body).toContain(`| Restate-Invocation | \`${status.identity!.invocationId}\` |`);

    const journal = await stack.sql<{ entry_json: string | null }>("SELECT entry_json FROM sys_journal");
    expect(journal.length).toBeGreaterThan(0);
    expect(journal.filter((row) => row.entry_json?.includes(github.token))).toEqual([]);
    const state = await stack.sql<{ value_utf8: string | null }>("SELECT value_utf8 FROM state");
    expect(state.filter((row) => row.value_utf8?.includes(github.token))).toEqual([]);
    for (const log of readdirSync(stack.dir).filter((file) => file.endsWith(".log"))) {
      expect(readFileSync(join(stack.dir, log), "utf8"), log).not.toContain(github.token);
    }
  });
});
