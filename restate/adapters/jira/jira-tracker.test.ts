// Jira as the tracker, with jira.js over real HTTP against a scripted Jira Cloud on 127.0.0.1.
import { expect, it } from "vitest";
import { failureModes, PATIENT_BOUND_MS } from "../../test/adapter-failure-modes";
import { replies, scriptedApiPerTest, type ScriptedApi } from "../../test/scripted-api";
import { scriptedJira } from "../../test/scripted-tracker-chat";
import { PermanentAdapterError } from "../ports";
import { JIRA_TICKET_LABEL, jiraIssueTracker, jiraSettings, keyLabel } from "./jira-tracker";

const TOKEN = "ATATT-test-jira-api-token-0123456789";
const env = (api: ScriptedApi, more: Record<string, string> = {}) => ({
  JIRA_BASE_URL: api.url,
  JIRA_EMAIL: "bot@acme.example",
  JIRA_API_TOKEN: TOKEN,
  JIRA_PROJECT_KEY: "SEC",
  JIRA_TIMEOUT_MS: String(PATIENT_BOUND_MS),
  ...more,
});
const ticket = (idempotencyKey: string) => ({ idempotencyKey, findingId: "f-1", title: "Fix f-1", body: "The approved plan." });

const scripted = scriptedApiPerTest();

failureModes("jira", scripted, (api) => {
  const jira = scriptedJira(api, "SEC");
  return {
    write: (key, timeoutMs) => jiraIssueTracker(jiraSettings(env(api, { JIRA_TIMEOUT_MS: String(timeoutMs) }))).openTicket(ticket(key)),
    writeRoute: ["POST", /\/rest\/api\/2\/issue/],
    written: () => jira.issues.length,
    secret: TOKEN,
  };
});

it("opens an issue labelled with its key, finds it again on a retry, and closes it by the Done transition with the reason", async () => {
  const api = scripted();
  const jira = scriptedJira(api, "SEC");
  const tracker = jiraIssueTracker(jiraSettings(env(api)));
  const opened = await tracker.openTicket(ticket("inv-1/ticket"));
  expect(opened).toEqual({ system: "jira", id: "SEC-1", url: `${api.url}/browse/SEC-1` });
  expect(await tracker.openTicket(ticket("inv-1/ticket"))).toEqual(opened);
  expect(jira.issues).toHaveLength(1);
  expect(jira.issues[0]).toMatchObject({ summary: "Fix f-1", description: "The approved plan.", labels: [JIRA_TICKET_LABEL, keyLabel("inv-1/ticket")] });
  expect(api.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`bot@acme.example:${TOKEN}`).toString("base64")}`);

  const close = { idempotencyKey: "inv-1/ticket-close", findingId: "f-1", ticket: opened, reason: "remediation aborted" };
  await tracker.closeTicket(close);
  await tracker.closeTicket(close);
  expect(jira.issues[0]?.status).toBe("Done");
  expect(JSON.stringify(jira.issues[0]?.comments)).toContain("Closed: remediation aborted");
  expect(jira.issues[0]?.comments).toHaveLength(1);
});

it("gives up on a close transition the workflow does not have, naming the ones it has", async () => {
  const api = scripted();
  scriptedJira(api, "SEC");
  const tracker = jiraIssueTracker(jiraSettings(env(api, { JIRA_CLOSE_TRANSITION: "Won't fix" })));
  const opened = await tracker.openTicket(ticket("inv-1/ticket"));
  const error = await tracker.closeTicket({ idempotencyKey: "inv-1/ticket-close", findingId: "f-1", ticket: opened, reason: "r" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PermanentAdapterError);
  expect((error as Error).message).toBe('jira: SEC-1 has no "Won\'t fix" transition (JIRA_CLOSE_TRANSITION; it has: In Progress, Done)');
});

it("refuses at start-up a missing base URL, email or token, and a bad project key, naming the variable", () => {
  const base = { JIRA_BASE_URL: "https://acme.atlassian.net", JIRA_EMAIL: "bot@acme.example", JIRA_API_TOKEN: TOKEN, JIRA_PROJECT_KEY: "SEC" };
  expect(() => jiraSettings({ ...base, JIRA_BASE_URL: undefined })).toThrow(/^JIRA_BASE_URL: required/);
  expect(() => jiraSettings({ ...base, JIRA_EMAIL: undefined })).toThrow(/^JIRA_EMAIL: required/);
  expect(() => jiraSettings({ ...base, JIRA_API_TOKEN: undefined })).toThrow(
    /^JIRA_API_TOKEN: required with ISSUE_TRACKER=jira \(or JIRA_API_TOKEN_FILE, a file holding it\)/,
  );
  expect(() => jiraSettings({ ...base, JIRA_PROJECT_KEY: "sec team" })).toThrow(/^JIRA_PROJECT_KEY: must be a project key/);
});

it("tests its connection by reading who the credentials are and the project, creating nothing", async () => {
  const api = scripted();
  const jira = scriptedJira(api, "SEC");
  api.route("GET", /\/rest\/api\/3\/myself/, () => ({ status: 200, json: { displayName: "Remediation Bot" } }));
  api.route("GET", /\/rest\/api\/3\/project\/([A-Z]+)/, (_request, match) =>
    match[1] === "SEC" ? { status: 200, json: { key: "SEC", name: "Security" } } : { status: 404, json: { errorMessages: ["No project"] } },
  );
  const tracker = jiraIssueTracker(jiraSettings(env(api)));
  await expect(tracker.checkConnection()).resolves.toBe("signed in to Jira as Remediation Bot; project SEC (Security) found");
  expect(jira.issues).toHaveLength(0);

  api.inject("GET", /\/rest\/api\/3\/myself/, replies.unauthorized());
  const refused: unknown = await tracker.checkConnection().catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(Error);
  expect((refused as Error).message).toMatch(/401/);
  expect((refused as Error).message).not.toContain(TOKEN);
});
