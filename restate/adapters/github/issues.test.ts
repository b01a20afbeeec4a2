// GitHub Issues as the tracker, with @octokit/rest over real HTTP against a scripted GitHub on 127.0.0.1.
import { expect, it } from "vitest";
import { failureModes, PATIENT_BOUND_MS } from "../../test/adapter-failure-modes";
import { scriptedApiPerTest, type ScriptedApi } from "../../test/scripted-api";
import { scriptedGithubIssues } from "../../test/scripted-tracker-chat";
import { PermanentAdapterError } from "../ports";
import { GITHUB_TICKET_LABEL, githubIssueTracker, githubIssuesSettings, keyMarker } from "./issues";

const TOKEN = "ghp_testgithubissuestoken0123456789";
const settingsFor = (api: ScriptedApi, timeoutMs = PATIENT_BOUND_MS) =>
  githubIssuesSettings({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url, GITHUB_ISSUES_REPO: "acme/security", GITHUB_TIMEOUT_MS: String(timeoutMs) });
const ticket = (idempotencyKey: string) => ({ idempotencyKey, findingId: "f-1", title: "Fix f-1", body: "The approved plan." });

const scripted = scriptedApiPerTest();

failureModes("github issues", scripted, (api) => {
  const github = scriptedGithubIssues(api, "acme", "security");
  return {
    write: (key, timeoutMs) => githubIssueTracker(settingsFor(api, timeoutMs)).openTicket(ticket(key)),
    writeRoute: ["POST", /\/repos\/acme\/security\/issues/],
    written: () => github.issues.length,
    secret: TOKEN,
  };
});

it("opens a labelled issue carrying the key, finds it again on a retry, and closes it once with the reason", async () => {
  const api = scripted();
  const github = scriptedGithubIssues(api, "acme", "security");
  const tracker = githubIssueTracker(settingsFor(api));
  const opened = await tracker.openTicket(ticket("inv-1/ticket"));
  expect(opened).toEqual({ system: "github", id: "acme/security#1", url: "https://github.example/acme/security/issues/1" });
  expect(await tracker.openTicket(ticket("inv-1/ticket"))).toEqual(opened);
  expect(github.issues).toHaveLength(1);
  expect(github.issues[0]).toMatchObject({ title: "Fix f-1", labels: [GITHUB_TICKET_LABEL] });
  expect(github.issues[0]?.body).toContain(keyMarker("inv-1/ticket"));
  expect(api.requests[0]?.headers.authorization).toBe(`token ${TOKEN}`);

  const close = { idempotencyKey: "inv-1/ticket-close", findingId: "f-1", ticket: opened, reason: "remediation aborted" };
  // The comment went through, the close did not: the retry closes without a second comment.
  api.inject("PATCH", /\/repos\/acme\/security\/issues\/(\d+)/, { status: 502, json: { message: "Bad Gateway" } });
  await expect(tracker.closeTicket(close)).rejects.toThrow(/HTTP 502/);
  await tracker.closeTicket(close);
  await tracker.closeTicket(close);
  expect(github.issues[0]?.state).toBe("closed");
  expect(github.issues[0]?.comments).toEqual([`Closed: remediation aborted\n\n${keyMarker("inv-1/ticket-close")}`]);
});

it("refuses to close what is not one of its repository's issues, and a bad repository setting at start-up", async () => {
  const api = scripted();
  const tracker = githubIssueTracker(settingsFor(api));
  await expect(
    tracker.closeTicket({ idempotencyKey: "k", findingId: "f-1", ticket: { system: "github", id: "other/repo#3" }, reason: "r" }),
  ).rejects.toBeInstanceOf(PermanentAdapterError);
  expect(() => githubIssuesSettings({ GITHUB_TOKEN: TOKEN, GITHUB_ISSUES_REPO: "security" })).toThrow(/^GITHUB_ISSUES_REPO: must be owner\/name/);
  expect(() => githubIssuesSettings({ GITHUB_ISSUES_REPO: "acme/security" })).toThrow(/^GITHUB_TOKEN: required with ISSUE_TRACKER=github/);
});

it("tests its connection by reading the repository, creating nothing", async () => {
  const api = scripted();
  const github = scriptedGithubIssues(api, "acme", "security");
  let hasIssues = true;
  api.route("GET", /\/repos\/acme\/security/, () => ({ status: 200, json: { full_name: "acme/security", has_issues: hasIssues } }));
  const tracker = githubIssueTracker(settingsFor(api));
  await expect(tracker.checkConnection()).resolves.toBe("GitHub repository acme/security reachable with the token; issues on");
  expect(github.issues).toHaveLength(0);
  hasIssues = false;
  await expect(tracker.checkConnection()).rejects.toThrow("github: acme/security has issues turned off");
});
