// The parts of GitHub Issues, Jira, Slack and a chat webhook that the real tracker and chat adapters
// use, scripted on a ScriptedApi (./scripted-api.ts): each keeps what was written, so a test counts
// tickets and messages the way the real system would hold them.
import type { ApiRequest, ScriptedApi } from "./scripted-api";

export interface ScriptedIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  comments: string[];
}

/** GitHub's REST issues API for one repository. */
export function scriptedGithubIssues(api: ScriptedApi, owner: string, repo: string) {
  const issues: ScriptedIssue[] = [];
  const base = `/repos/${owner}/${repo}/issues`;
  const view = (issue: ScriptedIssue) => ({
    number: issue.number,
    html_url: `https://github.example/${owner}/${repo}/issues/${issue.number}`,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    labels: issue.labels.map((name) => ({ name })),
  });
  const issueAt = (match: RegExpExecArray) => issues.find((issue) => issue.number === Number(match[1]));
  api.route("GET", new RegExp(base), (request) => {
    const label = request.query.get("labels");
    const listed = issues.filter((issue) => !label || issue.labels.includes(label)).reverse();
    return { status: 200, json: listed.slice(0, Number(request.query.get("per_page") ?? 30)).map(view) };
  });
  api.route("POST", new RegExp(base), (request) => {
    const issue: ScriptedIssue = {
      number: issues.length + 1,
      title: String(request.body.title),
      body: String(request.body.body ?? ""),
      labels: (request.body.labels as string[] | undefined) ?? [],
      state: "open",
      comments: [],
    };
    issues.push(issue);
    return { status: 201, json: view(issue) };
  });
  api.route("GET", new RegExp(`${base}/(\\d+)`), (_request, match) => {
    const issue = issueAt(match);
    return issue ? { status: 200, json: view(issue) } : { status: 404, json: { message: "Not Found" } };
  });
  api.route("PATCH", new RegExp(`${base}/(\\d+)`), (request, match) => {
    const issue = issueAt(match);
    if (!issue) return { status: 404, json: { message: "Not Found" } };
    if (request.body.state === "closed") issue.state = "closed";
    return { status: 200, json: view(issue) };
  });
  api.route("GET", new RegExp(`${base}/(\\d+)/comments`), (_request, match) => {
    const issue = issueAt(match);
    return issue ? { status: 200, json: issue.comments.map((body, id) => ({ id, body })) } : { status: 404, json: { message: "Not Found" } };
  });
  api.route("POST", new RegExp(`${base}/(\\d+)/comments`), (request, match) => {
    const issue = issueAt(match);
    if (!issue) return { status: 404, json: { message: "Not Found" } };
    issue.comments.push(String(request.body.body));
    return { status: 201, json: { id: issue.comments.length, body: request.body.body } };
  });
  return { issues };
}

export interface ScriptedJiraIssue {
  key: string;
  summary: string;
  description: string;
  labels: string[];
  status: "To Do" | "Done";
  comments: unknown[];
}

/** Jira Cloud's REST API: enhanced JQL search (labels only), create (v2, plain-text description), status, transitions. */
export function scriptedJira(api: ScriptedApi, projectKey: string) {
  const issues: ScriptedJiraIssue[] = [];
  const issueAt = (match: RegExpExecArray) => issues.find((issue) => issue.key === match[1]);
  api.route("POST", /\/rest\/api\/3\/search\/jql/, (request) => {
    const label = /labels = "([^"]+)"/.exec(String(request.body.jql))?.[1];
    const found = issues.filter((issue) => label && issue.labels.includes(label));
    return { status: 200, json: { issues: found.slice(0, Number(request.body.maxResults ?? 50)).map(({ key }) => ({ id: key, key })), isLast: true } };
  });
  api.route("POST", /\/rest\/api\/2\/issue/, (request) => {
    const fields = request.body.fields as { summary: string; description: string; labels: string[]; project: { key: string } };
    if (fields.project.key !== projectKey) return { status: 400, json: { errors: { project: "project is required" } } };
    const issue: ScriptedJiraIssue = { key: `${projectKey}-${issues.length + 1}`, ...fields, status: "To Do", comments: [] };
    issues.push(issue);
    return { status: 201, json: { id: String(issues.length), key: issue.key, self: `${api.url}/rest/api/2/issue/${issues.length}` } };
  });
  api.route("GET", /\/rest\/api\/3\/issue\/([A-Z]+-\d+)/, (_request, match) => {
    const issue = issueAt(match);
    if (!issue) return { status: 404, json: { errorMessages: ["Issue does not exist or you do not have permission to see it."] } };
    const category = issue.status === "Done" ? "done" : "new";
    return { status: 200, json: { key: issue.key, fields: { status: { name: issue.status, statusCategory: { key: category } } } } };
  });
  api.route("GET", /\/rest\/api\/3\/issue\/([A-Z]+-\d+)\/transitions/, () => ({
    status: 200,
    json: {
      transitions: [
        { id: "11", name: "In Progress" },
        { id: "31", name: "Done" },
      ],
    },
  }));
  api.route("POST", /\/rest\/api\/3\/issue\/([A-Z]+-\d+)\/transitions/, (request, match) => {
    const issue = issueAt(match);
    if (!issue) return { status: 404, json: { errorMessages: ["Issue does not exist"] } };
    if ((request.body.transition as { id: string }).id === "31") issue.status = "Done";
    const update = request.body.update as { comment?: { add: { body: unknown } }[] } | undefined;
    for (const comment of update?.comment ?? []) issue.comments.push(comment.add.body);
    return { status: 204 };
  });
  return { issues };
}

export interface ScriptedSlackMessage {
  channel: string;
  ts: string;
  text: string;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  /** Block Kit blocks, when the message has them (the message to approvers' buttons). */
  blocks?: Record<string, unknown>[];
}

/** Slack's Web API: conversations.history and chat.postMessage (form-encoded, `{ok}` answers); posted messages are kept. */
export function scriptedSlack(api: ScriptedApi, token: string) {
  const messages: ScriptedSlackMessage[] = [];
  const authorized = (request: ApiRequest) => request.headers.authorization === `Bearer ${token}`;
  api.route("POST", /\/api\/conversations\.history/, (request) => {
    if (!authorized(request)) return { status: 200, json: { ok: false, error: "invalid_auth" } };
    const channel = String(request.body.channel);
    const withMetadata = request.body.include_all_metadata === "true";
    const listed = messages
      .filter((message) => message.channel === channel)
      .reverse()
      .slice(0, Number(request.body.limit ?? 100))
      .map(({ ts, text, metadata }) => ({ type: "message", ts, text, ...(withMetadata && metadata ? { metadata } : {}) }));
    return { status: 200, json: { ok: true, messages: listed, has_more: false } };
  });
  api.route("POST", /\/api\/chat\.postMessage/, (request) => {
    if (!authorized(request)) return { status: 200, json: { ok: false, error: "invalid_auth" } };
    const metadata = request.body.metadata ? (JSON.parse(String(request.body.metadata)) as ScriptedSlackMessage["metadata"]) : undefined;
    const message: ScriptedSlackMessage = {
      channel: String(request.body.channel),
      ts: `1700000000.${String(messages.length + 1).padStart(6, "0")}`,
      text: String(request.body.text),
      metadata,
      ...(request.body.blocks ? { blocks: JSON.parse(String(request.body.blocks)) as Record<string, unknown>[] } : {}),
    };
    messages.push(message);
    return { status: 200, json: { ok: true, channel: message.channel, ts: message.ts, message: { text: message.text } } };
  });
  return { messages };
}

export interface ScriptedSlackUser {
  email?: string;
  deleted?: boolean;
}

/**
 * The Slack side of a click on a message's buttons: users.info (who clicked, with their e-mail) and the
 * click's response_url (`${api.url}/actions/{name}`), whose answers are kept in order, by name.
 */
export function scriptedSlackInteractivity(api: ScriptedApi, token: string, users: Record<string, ScriptedSlackUser>) {
  const answers: { to: string; body: Record<string, unknown> }[] = [];
  api.route("POST", /\/api\/users\.info/, (request) => {
    if (request.headers.authorization !== `Bearer ${token}`) return { status: 200, json: { ok: false, error: "invalid_auth" } };
    const id = String(request.body.user);
    const user = users[id];
    if (!user) return { status: 200, json: { ok: false, error: "user_not_found" } };
    return { status: 200, json: { ok: true, user: { id, deleted: !!user.deleted, is_bot: false, profile: user.email ? { email: user.email } : {} } } };
  });
  api.route("POST", /\/actions\/(.+)/, (request, match) => {
    answers.push({ to: match[1]!, body: request.body });
    return { status: 200, json: { ok: true } };
  });
  return { answers, responseUrl: (name: string) => `${api.url}/actions/${name}` };
}

/** A chat webhook receiver that keeps the first message per Idempotency-Key, as the adapter expects. */
export function scriptedWebhook(api: ScriptedApi, path = "/hooks/chat") {
  const received = new Map<string, ApiRequest>();
  api.route("POST", new RegExp(path.replace(/\//g, "\\/")), (request) => {
    const key = String(request.headers["idempotency-key"] ?? "");
    if (!received.has(key)) received.set(key, request);
    return { status: 202, json: { accepted: true } };
  });
  return { received, url: `${api.url}${path}` };
}
