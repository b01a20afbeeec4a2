// ISSUE_TRACKER=jira: tickets are issues of JIRA_PROJECT_KEY, opened with jira.js and closed by the
// JIRA_CLOSE_TRANSITION transition (Done unless set) with the reason as its comment. Each issue carries
// a label derived from the run's idempotency key; before opening one, a JQL search for that label
// returns an issue already opened instead. The client's own retries are off: callAdapter's policy
// retries, honouring Retry-After.
import { createHash } from "node:crypto";
import { z } from "zod";
import { AdapterConfigError, httpUrl, millis, required, secret, type Env } from "../adapter-settings";
import { PermanentAdapterError, RetryLaterAdapterError, type ConnectionCheck, type IssueTracker } from "../ports";
import { failureFromStatus, unexpectedAnswer, withDeadline } from "../remote-failure";

/** The label every ticket gets beside its key's label. */
export const JIRA_TICKET_LABEL = "remediation";

export interface JiraSettings {
  baseUrl: string;
  email: string;
  apiToken: string;
  projectKey: string;
  issueType: string;
  closeTransition: string;
  timeoutMs: number;
}

export function jiraSettings(env: Env): JiraSettings {
  const projectKey = required(env, "JIRA_PROJECT_KEY", "with ISSUE_TRACKER=jira", "e.g. SEC");
  if (!/^[A-Z][A-Z0-9_]{1,9}$/.test(projectKey)) throw new AdapterConfigError("JIRA_PROJECT_KEY: must be a project key such as SEC");
  return {
    baseUrl: httpUrl(env, "JIRA_BASE_URL", "with ISSUE_TRACKER=jira (e.g. https://acme.atlassian.net)"),
    email: required(env, "JIRA_EMAIL", "with ISSUE_TRACKER=jira", "the account the API token belongs to"),
    apiToken: secret(env, "JIRA_API_TOKEN", "with ISSUE_TRACKER=jira") as string,
    projectKey,
    issueType: env.JIRA_ISSUE_TYPE?.trim() || "Task",
    closeTransition: env.JIRA_CLOSE_TRANSITION?.trim() || "Done",
    timeoutMs: millis(env, "JIRA_TIMEOUT_MS", 30_000),
  };
}

/** The label that ties an issue to the step that opened it (labels take no spaces; a hash keeps it short). */
export function keyLabel(idempotencyKey: string): string {
  return `remediation-key-${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 24)}`;
}

const SearchSchema = z.object({ issues: z.array(z.object({ key: z.string() })) });
const CreatedSchema = z.object({ key: z.string() });
const StatusSchema = z.object({ fields: z.object({ status: z.object({ statusCategory: z.object({ key: z.string() }) }) }) });
const TransitionsSchema = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string() })) });

type JiraJs = typeof import("jira.js");
type JiraClient = ReturnType<JiraJs["createCloudClient"]>;
let jiraJs: Promise<JiraJs> | undefined;
/**
 * jira.js, loaded when the first Jira tracker is made: it is the services' heaviest import (about half
 * of their start-up CPU), and only ISSUE_TRACKER=jira uses it.
 */
const loadJiraJs = () => (jiraJs ??= import("jira.js"));

function jiraFailure({ isApiError, isRateLimitError }: JiraJs, what: string, error: unknown): Error {
  if (isRateLimitError(error)) return new RetryLaterAdapterError(`jira ${what}: rate limited`, error.retryAfterMs ?? 1_000);
  if (isApiError(error)) {
    const detail = typeof error.body === "string" ? error.body : JSON.stringify(error.body ?? "");
    return failureFromStatus("jira", what, error.status, null, detail);
  }
  return new Error(`jira ${what}: ${error instanceof Error ? error.message : String(error)}`);
}

/** A comment in the Atlassian document format the v3 API takes. */
function documentOf(text: string) {
  return { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text }] }] };
}

export function jiraIssueTracker(settings: JiraSettings): IssueTracker & ConnectionCheck {
  const loaded = loadJiraJs().then((lib) => ({
    lib,
    jira: lib.createCloudClient({
      host: settings.baseUrl,
      auth: { type: "basic", email: settings.email, apiToken: settings.apiToken },
      retry: { maxAttempts: 1 },
      onSchemaMismatch: "silent",
    }),
  }));
  // Not an unhandled rejection before the first call: that call reports a failed load.
  loaded.catch(() => {});
  /** One API call, bounded in time (jira.js takes no signal: a late answer is dropped), its answer checked. */
  const call = async <T>(what: string, schema: z.ZodType<T>, request: (jira: JiraClient) => Promise<unknown>): Promise<T> => {
    // Loaded before the deadline starts: the bound is on Jira's answer, not on reading the library.
    const { lib, jira } = await loaded;
    const answer = await withDeadline("jira", what, settings.timeoutMs, () =>
      request(jira).catch((error: unknown) => {
        throw jiraFailure(lib, what, error);
      }),
    );
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw unexpectedAnswer("jira", what, "not the documented shape");
    return parsed.data;
  };
  const ref = (key: string) => ({ system: "jira", id: key, url: `${settings.baseUrl}/browse/${key}` });

  return {
    // For the Integrations page: the credentials work and the project is there; nothing is created.
    async checkConnection() {
      const me = await call("check the credentials", z.object({ displayName: z.string().optional() }), (jira) => jira.myself.getCurrentUser());
      const project = await call(`read project ${settings.projectKey}`, z.object({ key: z.string(), name: z.string().optional() }), (jira) =>
        jira.projects.getProject({ projectIdOrKey: settings.projectKey }),
      );
      return `signed in to Jira as ${me.displayName ?? settings.email}; project ${project.key}${project.name ? ` (${project.name})` : ""} found`;
    },

    async openTicket({ idempotencyKey, title, body }) {
      const label = keyLabel(idempotencyKey);
      const found = await call("look up ticket", SearchSchema, (jira) =>
        jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
          jql: `project = "${settings.projectKey}" AND labels = "${label}" ORDER BY created ASC`,
          fields: ["summary"],
          maxResults: 1,
        }),
      );
      const earlier = found.issues[0];
      if (earlier) return ref(earlier.key);
      const created = await call("open ticket", CreatedSchema, (jira) =>
        jira.issues.createIssue({
          fields: {
            project: { key: settings.projectKey },
            issuetype: { name: settings.issueType },
            summary: title,
            description: body,
            labels: [JIRA_TICKET_LABEL, label],
          },
        }),
      );
      return ref(created.key);
    },

    async closeTicket({ ticket, reason }) {
      if (ticket.system !== "jira") throw new PermanentAdapterError(`jira: cannot close a ${ticket.system} ticket (${ticket.id})`);
      const issueIdOrKey = ticket.id;
      const current = await call("read ticket", StatusSchema, (jira) => jira.issues.getIssue({ issueIdOrKey, fields: ["status"] }));
      // Already done (by an earlier attempt of this step, or by hand): nothing to undo.
      if (current.fields.status.statusCategory.key === "done") return;
      const { transitions } = await call("read ticket transitions", TransitionsSchema, (jira) => jira.issues.getTransitions({ issueIdOrKey }));
      const wanted = settings.closeTransition.toLowerCase();
      const transition = transitions.find((candidate) => candidate.name.toLowerCase() === wanted);
      if (!transition) {
        throw new PermanentAdapterError(
          `jira: ${issueIdOrKey} has no "${settings.closeTransition}" transition (JIRA_CLOSE_TRANSITION; it has: ${transitions.map((t) => t.name).join(", ") || "none"})`,
        );
      }
      await call("close ticket", z.unknown(), (jira) =>
        jira.issues.doTransition({
          issueIdOrKey,
          transition: { id: transition.id },
          update: { comment: [{ add: { body: documentOf(`Closed: ${reason}`) } }] },
        }),
      );
    },
  };
}
