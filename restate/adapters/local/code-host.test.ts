// The embedded code host against real git repositories (the seeded demo ones) and a real workspace diff.
import { join } from "node:path";
import { writeFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { repositoryPath } from "../../workspace/demo-repos";
import { git } from "../../workspace/git";
import { seededFixture, type WorkspaceFixture } from "../../workspace/workspace-fixture";
import type { PlanChange } from "../../contracts/schemas";
import { PermanentAdapterError } from "../ports";
import { approvedDemoChange, openRequest } from "../code-host-fixture";
import { localCodeHost, type LocalCodeHost } from "./code-host";

let fixture: WorkspaceFixture;
let host: LocalCodeHost;
let repoPath: string;

beforeEach(async () => {
  fixture = await seededFixture();
  host = localCodeHost({ reposDir: fixture.settings.reposDir, recordsDir: join(fixture.root, "outside") });
  repoPath = repositoryPath(fixture.settings.reposDir, "web-storefront")!;
});
afterEach(() => fixture.remove());

const approvedChange = async () => (await approvedDemoChange(fixture.settings)).change;
const request = (change: PlanChange | undefined, idempotencyKey?: string) => openRequest(change, idempotencyKey);

const gitIn = (...args: string[]) => git(args, { cwd: repoPath }).then((out) => out.trim());
const allCommits = () => gitIn("rev-list", "--all", "--count");
const branches = () => gitIn("for-each-ref", "--format=%(refname:short)", "refs/heads/");

describe("the embedded code host", () => {
  it("opens a PR whose branch holds exactly the approved diff on its base revision, and leaves main alone", async () => {
    const change = await approvedChange();
    expect(change.diff).toContain("4.17.21");
    const mainBefore = await gitIn("rev-parse", "refs/heads/main");

    const ref = await host.openPullRequest(request(change));

    const [record] = await host.list("cve-777");
    expect(ref).toEqual({ system: "local-git", id: "web-storefront#1", url: "/pull-requests#pr-1" });
    expect(record).toMatchObject({ number: 1, status: "open", repo: "web-storefront", baseRevision: change.baseRevision, link: "/pull-requests#pr-1" });
    const branch = record!.branch!;
    expect(await gitIn("rev-parse", `refs/heads/${branch}`)).toBe(record!.commit);
    expect(await gitIn("rev-parse", `${branch}^`)).toBe(change.baseRevision);
    expect(await git(["diff", "--text", "--no-renames", change.baseRevision, branch], { cwd: repoPath })).toBe(change.diff);
    expect(await gitIn("rev-parse", "refs/heads/main")).toBe(mainBefore);
    const trailers = await gitIn("log", "-1", "--format=%(trailers:only,unfold)", branch);
    expect(trailers).toContain("Restate-Invocation: inv_1abcDEFghiJKLmnoPQRstu");
    expect(trailers).toContain("Approved-By: bo at 2026-11-29T01:03:30.000Z");
    expect(record!.body).toContain("### Provenance");
  });

  it("gives a retried step the same PR and makes no second branch or commit, even when its record was lost", async () => {
    const change = await approvedChange();
    const first = await host.openPullRequest(request(change));
    const commits = await allCommits();
    const branchesBefore = await branches();

    expect(await host.openPullRequest(request(change))).toEqual(first);
    // A crash after the branch was made and before the record was written: the step runs again.
    await writeFile(join(fixture.root, "outside", "pull-requests.json"), '{"pullRequests":[]}');
    const again = await host.openPullRequest(request(change));

    expect(again.id).toBe("web-storefront#1");
    expect(await allCommits()).toBe(commits);
    expect(await branches()).toBe(branchesBefore);
  });

  it("closes the PR as compensation: the record is closed and the branch deleted, twice is harmless", async () => {
    const ref = await host.openPullRequest(request(await approvedChange()));
    const [opened] = await host.list();

    await host.closePullRequest({ idempotencyKey: "inv_1/pull-request-close", findingId: "cve-777", pullRequest: ref, reason: "remediation aborted" });
    await host.closePullRequest({ idempotencyKey: "inv_1/pull-request-close", findingId: "cve-777", pullRequest: ref, reason: "remediation aborted" });

    const [closed] = await host.list();
    expect(closed).toMatchObject({ status: "closed", closeReason: "remediation aborted" });
    expect(opened!.branch).toMatch(/^fix\/cve-777-/);
    expect(await branches()).toBe("main");
  });

  it("records a plan without a change as a PR with no branch, and pushes nothing", async () => {
    const commits = await allCommits();
    await host.openPullRequest(request(undefined));
    const [record] = await host.list();
    expect(record).toMatchObject({ branch: null, commit: null, status: "open" });
    expect(record!.noBranchReason).toMatch(/no change/);
    expect(await allCommits()).toBe(commits);
  });

  it("refuses for good a diff that does not apply to its base, leaving no branch and no record", async () => {
    const change = await approvedChange();
    const broken = { ...change, diff: change.diff.replace(/"lodash": "[^"]+"/, '"lodash": "0.0.0"') };
    await expect(host.openPullRequest(request(broken))).rejects.toThrow(PermanentAdapterError);
    await expect(host.openPullRequest(request({ ...change, baseRevision: "0".repeat(40) }))).rejects.toThrow(/base revision/);
    expect(await host.list()).toEqual([]);
    expect(await branches()).toBe("main");
  });
});
