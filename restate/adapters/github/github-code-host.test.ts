// The GitHub code host with the real Octokit over real HTTP, against a scripted GitHub (./scripted-github.ts)
// holding a seeded demo repository; the change is a real workspace's diff of the demo fix.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExternalRef, PlanChange } from "../../contracts/schemas";
import { repositoryPath } from "../../workspace/demo-repos";
import { seededFixture, type WorkspaceFixture } from "../../workspace/workspace-fixture";
import { PermanentAdapterError, RetryLaterAdapterError } from "../ports";
import { approvedDemoChange, openRequest } from "../code-host-fixture";
import { githubCodeHost } from "./github-code-host";
import { startScriptedGithub, type ScriptedGithub } from "./scripted-github";

let fixture: WorkspaceFixture;
let github: ScriptedGithub;
let change: PlanChange;
let fix: Record<string, string>;

beforeEach(async () => {
  fixture = await seededFixture();
  ({ change, fix } = await approvedDemoChange(fixture.settings));
  github = await startScriptedGithub({ gitDir: repositoryPath(fixture.settings.reposDir, "web-storefront")!, revision: change.baseRevision });
});
afterEach(async () => {
  await github.close();
  fixture.remove();
});

const hostFor = (token = github.token, timeoutMs = 5_000) => githubCodeHost({ token, apiUrl: github.url, owner: github.owner, timeoutMs });

const request = (planChange: PlanChange | undefined = change) => openRequest(planChange);

/**
 * The call as a journaled step runs it (restate/adapters/call-adapter.ts): a permanent error ends it, any
 * other failure tries again (a RetryLater's wait is noted, not slept); up to 8 attempts.
 */
async function asStep<T>(call: () => Promise<T>): Promise<{ result: T; failures: Error[]; waitsMs: number[] }> {
  const failures: Error[] = [];
  const waitsMs: number[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await call(), failures, waitsMs };
    } catch (error) {
      if (error instanceof PermanentAdapterError || attempt === 8) throw error;
      failures.push(error as Error);
      if (error instanceof RetryLaterAdapterError) waitsMs.push(error.retryAfterMs);
    }
  }
}

const open = (host = hostFor()) => asStep(() => host.openPullRequest(request()));

function expectExactlyTheApprovedChange() {
  const branch = github.pulls[0]!.head;
  const head = github.refs.get(`heads/${branch}`)!;
  const commit = github.commits.get(head)!;
  expect(commit.parents).toEqual([change.baseRevision]);
  const before = github.filesAt(change.baseRevision);
  const after = github.filesAt(head);
  expect(new Set(after.keys())).toEqual(new Set([...before.keys(), ...Object.keys(fix)]));
  for (const [path, content] of after) expect(content, path).toBe(fix[path] ?? before.get(path));
  return commit;
}

describe("the GitHub code host", () => {
  it("pushes exactly the approved change on a new branch with the provenance trailers, and opens one PR against the default branch", async () => {
    const { result } = await open();

    expect(result).toEqual({ system: "github", id: "acme/web-storefront#1", url: "https://github.example/acme/web-storefront/pull/1" });
    expect(github.created).toMatchObject({ refs: 1, commits: 1, pulls: 1 });
    const [pull] = github.pulls;
    expect(pull).toMatchObject({ base: "main", title: "Bump lodash to 4.17.21", state: "open" });
    expect(pull!.head).toMatch(/^fix\/cve-777-[0-9a-f]{10}$/);
    expect(pull!.body).toContain("| Approved-By | `bo at 2026-11-29T01:03:30.000Z` |");
    const commit = expectExactlyTheApprovedChange();
    expect(commit.message).toMatch(/^Bump lodash to 4\.17\.21\n\n/);
    expect(commit.message).toContain("\nRestate-Invocation: inv_1abcDEFghiJKLmnoPQRstu\n");
    expect(commit.message).toContain("\nJudge-Verdict: approved (score 0.88)\n");
    expect(github.refs.get("heads/main")).toBe(change.baseRevision);
  });

  it("opens no second PR when the answer to opening it was lost, nor when the step runs again", async () => {
    github.fail("POST pulls", { kind: "status", status: 502, afterWrite: true });
    const first = await open();
    expect(first.failures).toHaveLength(1);
    const again = await open();

    expect(again.result).toEqual(first.result);
    expect(github.created).toMatchObject({ refs: 1, commits: 1, pulls: 1 });
  });

  it("finds the branch an earlier attempt made (its answer lost, or a 422 'already exists') and does not push again", async () => {
    github.fail("POST ref", { kind: "status", status: 504, afterWrite: true });
    github.fail("POST pulls", { kind: "status", status: 422, message: "Validation Failed: A pull request already exists", afterWrite: true });
    const { result, failures } = await open();

    expect(result.id).toBe("acme/web-storefront#1");
    expect(failures).toHaveLength(1);
    expect(github.created).toMatchObject({ refs: 1, commits: 1, pulls: 1 });
    expectExactlyTheApprovedChange();
  });

  it("waits what GitHub asks on 429 with Retry-After and on a secondary rate limit, and retries 5xx", async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    github.fail("GET pulls", { kind: "status", status: 429, headers: { "retry-after": "7" } });
    github.fail("GET commit", { kind: "status", status: 403, message: "You have exceeded a secondary rate limit" });
    github.fail("POST blob", {
      kind: "status",
      status: 403,
      message: "API rate limit exceeded",
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
    });
    github.fail("POST tree", { kind: "status", status: 500 }, { kind: "status", status: 503, headers: { "retry-after": "2" } });
    const { result, failures, waitsMs } = await open();

    expect(result.id).toBe("acme/web-storefront#1");
    expect(failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining("GitHub answered 429 to GET pulls"),
      expect.stringContaining("GitHub answered 403 to GET commit"),
      expect.stringContaining("GitHub answered 403 to POST blob"),
      expect.stringContaining("GitHub answered 500 to POST tree"),
      expect.stringContaining("GitHub answered 503 to POST tree"),
    ]);
    expect(waitsMs[0]).toBe(7_000);
    expect(waitsMs[1]).toBe(60_000);
    expect(waitsMs[2]).toBeGreaterThan(25_000);
    expect(waitsMs[2]).toBeLessThanOrEqual(30_000);
    expect(waitsMs[3]).toBe(2_000);
    expect(github.created).toMatchObject({ refs: 1, commits: 1, pulls: 1 });
    expectExactlyTheApprovedChange();
  });

  it("retries an answer that is not JSON and one slower than GITHUB_TIMEOUT_MS", async () => {
    github.fail("GET repo", { kind: "garbage" });
    github.fail("GET ref", { kind: "slow", delayMs: 1_500 });
    const { result, failures } = await open(hostFor(github.token, 500));

    expect(result.id).toBe("acme/web-storefront#1");
    expect(failures.map((failure) => failure.message)).toEqual([
      expect.stringMatching(/GitHub answered 500 to GET ref heads\/fix\/cve-777-\w+: .*(abort|timeout)/i),
      expect.stringContaining("GitHub's answer to GET acme/web-storefront is not what the API returns"),
    ]);
    expect(github.created).toMatchObject({ refs: 1, commits: 1, pulls: 1 });
  });

  it("gives up at once on a 401 and on any other 4xx, without the token in the message, having created nothing", async () => {
    const refused = open(hostFor("ghp_wrongTOKEN"));
    await expect(refused).rejects.toThrow(PermanentAdapterError);
    await expect(refused).rejects.toThrow("GitHub answered 401 to GET pulls of acme/web-storefront: Bad credentials");
    await refused.catch((error: Error) => expect(error.message).not.toContain("ghp_"));

    github.fail("GET tree", { kind: "status", status: 404 });
    await expect(open()).rejects.toThrow("GitHub answered 404 to GET tree");
    expect(github.created).toMatchObject({ refs: 0, commits: 0, pulls: 0 });
  });

  it("refuses for good a plan without a change, a diff that does not apply, and a repository with no owner", async () => {
    const host = hostFor();
    await expect(host.openPullRequest({ ...request(), change: undefined })).rejects.toThrow(/no change/);
    await expect(host.openPullRequest(request({ ...change, diff: change.diff.replace(/"lodash": "[^"]+"/, '"lodash": "0.0.0"') }))).rejects.toThrow(
      /does not apply/,
    );
    const ownerless = githubCodeHost({ token: github.token, apiUrl: github.url, owner: null, timeoutMs: 5_000 });
    await expect(ownerless.openPullRequest(request())).rejects.toThrow(/GITHUB_OWNER/);
    expect(github.created).toMatchObject({ refs: 0, commits: 0, pulls: 0 });
  });

  it("tests its connection by asking GitHub who the token is, and says why not with a bad token", async () => {
    await expect(hostFor().checkConnection()).resolves.toBe(`signed in to ${github.url} as remediation-bot`);
    await expect(hostFor("ghp_wrongTOKEN").checkConnection()).rejects.toThrow("GitHub answered 401 to GET user: Bad credentials");
  });

  it("closes the PR and deletes its branch as compensation; closing again is harmless", async () => {
    const { result } = await open();
    const close = (pullRequest: ExternalRef) =>
      asStep(() =>
        hostFor().closePullRequest({ idempotencyKey: "inv_1/pull-request-close", findingId: "cve-777", pullRequest, reason: "remediation aborted" }),
      );
    github.fail("DELETE ref", { kind: "status", status: 502, afterWrite: true });
    await close(result);
    await close(result);

    expect(github.pulls[0]!.state).toBe("closed");
    expect([...github.refs.keys()]).toEqual(["heads/main"]);
  });
});
