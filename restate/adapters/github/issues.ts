// ISSUE_TRACKER=github: tickets are issues of GITHUB_ISSUES_REPO, opened and closed with @octokit/rest.
// Each issue carries the run's idempotency key as a hidden marker in its body and the `remediation`
// label; before opening one, the repository's newest labelled issues are read and an issue already
// carrying the key is returned instead. Closing comments the reason (once: the comment carries the
// closing's key) and closes the issue as not planned.
import { Octokit } from "@octokit/rest";
import { z } from "zod";
import { AdapterConfigError, httpUrl, millis, required, secret, type Env } from "../adapter-settings";
import { PermanentAdapterError, type ConnectionCheck, type IssueTracker } from "../ports";
import { failureFromStatus, unexpectedAnswer, withDeadline } from "../remote-failure";

/** The label every ticket gets, so the lookup reads only ours. */
export const GITHUB_TICKET_LABEL = "remediation";
/** How many of the newest labelled issues (and of a ticket's comments) are searched for a key. */
export const GITHUB_LOOKBACK = 100;

export interface GithubIssuesSettings {
  token: string;
  apiUrl: string;
  owner: string;
  repo: string;
  timeoutMs: number;
}

export function githubIssuesSettings(env: Env): GithubIssuesSettings {
  const repository = required(env, "GITHUB_ISSUES_REPO", "with ISSUE_TRACKER=github", "owner/name of the repository the tickets go to");
  const [owner, repo, extra] = repository.split("/");
  if (!owner || !repo || extra !== undefined || !/^[A-Za-z0-9_.-]+$/.test(owner + repo)) {
    throw new AdapterConfigError("GITHUB_ISSUES_REPO: must be owner/name, e.g. acme/security-tickets");
  }
  return {
    token: secret(env, "GITHUB_TOKEN", "with ISSUE_TRACKER=github") as string,
    apiUrl: httpUrl(env, "GITHUB_API_URL", "", "https://api.github.com"),
    owner,
    repo,
    timeoutMs: millis(env, "GITHUB_TIMEOUT_MS", 30_000),
  };
}

/** The hidden line that ties an issue or a comment to the step that wrote it. */
export function keyMarker(idempotencyKey: string): string {
  return `<!-- remediation-idempotency-key: ${idempotencyKey} -->`;
}

const IssueSchema = z.object({ number: z.number(), html_url: z.string(), state: z.string(), body: z.string().nullable().optional() });
const IssueListSchema = z.array(IssueSchema);
const CommentListSchema = z.array(z.object({ body: z.string().nullable().optional() }));

function githubFailure(what: string, error: unknown): Error {
  const failed = error as { name?: string; status?: unknown; message?: string; response?: { headers?: Record<string, string | undefined> } } | null;
  if (failed?.name === "HttpError" && typeof failed.status === "number") {
    return failureFromStatus("github", what, failed.status, failed.response?.headers?.["retry-after"], failed.message);
  }
  return new Error(`github ${what}: ${failed?.message ?? String(error)}`);
}

export function githubIssueTracker(settings: GithubIssuesSettings): IssueTracker & ConnectionCheck {
  const quiet = () => undefined;
  const octokit = new Octokit({ auth: settings.token, baseUrl: settings.apiUrl, log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });
  const { owner, repo } = settings;
  /** One API call, bounded in time, its answer checked against what the API documents. */
  const call = async <T>(what: string, schema: z.ZodType<T>, request: (signal: AbortSignal) => Promise<{ data: unknown }>): Promise<T> => {
    const answer = await withDeadline("github", what, settings.timeoutMs, (signal) =>
      request(signal).catch((error: unknown) => {
        throw githubFailure(what, error);
      }),
    );
    const parsed = schema.safeParse(answer.data);
    if (!parsed.success) throw unexpectedAnswer("github", what, "not the documented shape");
    return parsed.data;
  };
  const ref = (issue: { number: number; html_url: string }) => ({ system: "github", id: `${owner}/${repo}#${issue.number}`, url: issue.html_url });
  const issueNumber = (id: string) => {
    const prefix = `${owner}/${repo}#`;
    const number = id.startsWith(prefix) ? id.slice(prefix.length) : "";
    if (!/^\d+$/.test(number)) throw new PermanentAdapterError(`github: ${id} is not an issue of ${owner}/${repo}`);
    return Number(number);
  };

  return {
    // For the Integrations page: the token reaches the repository and it takes issues; nothing is created.
    async checkConnection() {
      const found = await call(`read repository ${owner}/${repo}`, z.object({ full_name: z.string(), has_issues: z.boolean().optional() }), (signal) =>
        octokit.rest.repos.get({ owner, repo, request: { signal } }),
      );
      if (found.has_issues === false) throw new PermanentAdapterError(`github: ${found.full_name} has issues turned off`);
      return `GitHub repository ${found.full_name} reachable with the token; issues on`;
    },

    async openTicket({ idempotencyKey, title, body }) {
      const marker = keyMarker(idempotencyKey);
      const recent = await call("look up ticket", IssueListSchema, (signal) =>
        octokit.rest.issues.listForRepo({
          owner,
          repo,
          labels: GITHUB_TICKET_LABEL,
          state: "all",
          sort: "created",
          direction: "desc",
          per_page: GITHUB_LOOKBACK,
          request: { signal },
        }),
      );
      const earlier = recent.find((issue) => issue.body?.includes(marker));
      if (earlier) return ref(earlier);
      const opened = await call("open ticket", IssueSchema, (signal) =>
        octokit.rest.issues.create({ owner, repo, title, body: `${body}\n\n${marker}`, labels: [GITHUB_TICKET_LABEL], request: { signal } }),
      );
      return ref(opened);
    },

    async closeTicket({ idempotencyKey, ticket, reason }) {
      if (ticket.system !== "github") throw new PermanentAdapterError(`github: cannot close a ${ticket.system} ticket (${ticket.id})`);
      const issue_number = issueNumber(ticket.id);
      const current = await call("read ticket", IssueSchema, (signal) => octokit.rest.issues.get({ owner, repo, issue_number, request: { signal } }));
      if (current.state === "closed") return;
      const marker = keyMarker(idempotencyKey);
      const comments = await call("read ticket comments", CommentListSchema, (signal) =>
        octokit.rest.issues.listComments({ owner, repo, issue_number, per_page: GITHUB_LOOKBACK, request: { signal } }),
      );
      if (!comments.some((comment) => comment.body?.includes(marker))) {
        await call("comment ticket", z.unknown(), (signal) =>
          octokit.rest.issues.createComment({ owner, repo, issue_number, body: `Closed: ${reason}\n\n${marker}`, request: { signal } }),
        );
      }
      await call("close ticket", z.unknown(), (signal) =>
        octokit.rest.issues.update({ owner, repo, issue_number, state: "closed", state_reason: "not_planned", request: { signal } }),
      );
    },
  };
}
