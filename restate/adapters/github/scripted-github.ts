// A scripted GitHub for tests: the part of the REST API the GitHub code host uses (repository, git data:
// blobs, trees, commits, refs; pull requests) over real HTTP on 127.0.0.1, kept in memory, with faults a
// test queues per route (an error status with headers, an error after the write was done, a body that is
// not JSON, a slow answer). It counts what was created, so a test can tell a retry from a second PR.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Route =
  | "GET user"
  | "GET repo"
  | "GET pulls"
  | "POST pulls"
  | "GET pull"
  | "PATCH pull"
  | "GET ref"
  | "POST ref"
  | "DELETE ref"
  | "GET commit"
  | "POST commit"
  | "GET tree"
  | "POST tree"
  | "GET blob"
  | "POST blob";

export type Fault =
  /** Answers `status` instead of doing anything; with `afterWrite`, does the request first and then answers it. */
  | { kind: "status"; status: number; message?: string; headers?: Record<string, string>; afterWrite?: boolean }
  | { kind: "garbage" }
  | { kind: "slow"; delayMs: number };

type TreeEntries = Map<string, { mode: string; sha: string }>;
interface Commit {
  tree: string;
  parents: string[];
  message: string;
  author: unknown;
  committer: unknown;
}
export interface ScriptedPull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: "open" | "closed";
}

export interface ScriptedGithub {
  url: string;
  owner: string;
  repo: string;
  token: string;
  /** The next request to `route` meets `fault` (queued: one request each). */
  fail(route: Route, ...faults: Fault[]): void;
  /** Requests seen, as "METHOD route". */
  requests: string[];
  created: Record<"blobs" | "trees" | "commits" | "refs" | "pulls", number>;
  pulls: ScriptedPull[];
  refs: Map<string, string>;
  commits: Map<string, Commit>;
  /** Path → content of the tree of `commit`. */
  filesAt(commit: string): Map<string, string>;
  /** Path → git blob sha of the tree of `commit`. */
  blobsAt(commit: string): Map<string, string>;
  /** Runs `listener` as each request arrives, before it is answered. */
  onRequest(listener: (route: Route) => void): void;
  close(): Promise<void>;
}

const sha1 = (text: string | Buffer) => createHash("sha1").update(text).digest("hex");
const gitBlobSha = (content: Buffer) => sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));

/** A GitHub holding `owner/repo` as the real git repository `gitDir` has it at `revision` (the default branch, main). */
export async function startScriptedGithub(options: {
  gitDir: string;
  revision: string;
  owner?: string;
  repo?: string;
  token?: string;
}): Promise<ScriptedGithub> {
  const owner = options.owner ?? "acme";
  const repo = options.repo ?? "web-storefront";
  const token = options.token ?? "ghp_scriptedTOKEN0123456789";
  const blobs = new Map<string, Buffer>();
  const trees = new Map<string, TreeEntries>();
  const commits = new Map<string, Commit>();
  const refs = new Map<string, string>();
  const pulls: ScriptedPull[] = [];
  const faults = new Map<Route, Fault[]>();
  const requests: string[] = [];
  const created = { blobs: 0, trees: 0, commits: 0, refs: 0, pulls: 0 };
  const listeners: ((route: Route) => void)[] = [];

  const storeTree = (entries: TreeEntries) => {
    const sha = sha1(JSON.stringify([...entries].sort(([a], [b]) => a.localeCompare(b))));
    trees.set(sha, entries);
    return sha;
  };
  const baseEntries: TreeEntries = new Map();
  for (const line of execFileSync("git", ["ls-tree", "-r", "-z", options.revision], { cwd: options.gitDir, encoding: "utf8" }).split("\0").filter(Boolean)) {
    const [meta, path] = line.split("\t") as [string, string];
    const [mode, , sha] = meta.split(" ") as [string, string, string];
    blobs.set(sha, execFileSync("git", ["cat-file", "blob", sha], { cwd: options.gitDir }));
    baseEntries.set(path, { mode, sha });
  }
  commits.set(options.revision, { tree: storeTree(baseEntries), parents: [], message: "demo", author: null, committer: null });
  refs.set("heads/main", options.revision);

  const pullJson = (pull: ScriptedPull) => ({
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    html_url: `https://github.example/${owner}/${repo}/pull/${pull.number}`,
    head: { ref: pull.head },
    base: { ref: pull.base },
  });

  /** Does the request; answers [status, body]. */
  function handle(route: Route, rest: string, query: URLSearchParams, body: Record<string, unknown>): [number, unknown] {
    const notFound: [number, unknown] = [404, { message: "Not Found" }];
    switch (route) {
      case "GET user":
        return [200, { login: "remediation-bot", type: "User" }];
      case "GET repo":
        return [200, { name: repo, default_branch: "main" }];
      case "GET pulls": {
        const head = query.get("head");
        return [200, pulls.filter((pull) => !head || `${owner}:${pull.head}` === head).map(pullJson)];
      }
      case "POST pulls": {
        const head = String(body.head);
        if (!refs.has(`heads/${head}`)) return [422, { message: "Validation Failed", errors: [{ field: "head", code: "invalid" }] }];
        if (pulls.some((pull) => pull.head === head && pull.state === "open"))
          return [422, { message: "Validation Failed", errors: [{ message: `A pull request already exists for ${owner}:${head}.` }] }];
        const pull: ScriptedPull = {
          number: pulls.length + 1,
          head,
          base: String(body.base),
          title: String(body.title),
          body: String(body.body),
          state: "open",
        };
        pulls.push(pull);
        created.pulls++;
        return [201, pullJson(pull)];
      }
      case "GET pull":
      case "PATCH pull": {
        const pull = pulls.find((candidate) => candidate.number === Number(rest));
        if (!pull) return notFound;
        if (route === "PATCH pull" && body.state === "closed") pull.state = "closed";
        return [200, pullJson(pull)];
      }
      case "GET ref": {
        const sha = refs.get(rest);
        return sha ? [200, { ref: `refs/${rest}`, object: { sha, type: "commit" } }] : notFound;
      }
      case "POST ref": {
        const ref = String(body.ref).replace(/^refs\//, "");
        if (refs.has(ref)) return [422, { message: "Reference already exists" }];
        if (!commits.has(String(body.sha))) return [422, { message: "Object does not exist" }];
        refs.set(ref, String(body.sha));
        created.refs++;
        return [201, { ref: `refs/${ref}`, object: { sha: body.sha } }];
      }
      case "DELETE ref":
        return refs.delete(rest) ? [204, null] : [422, { message: "Reference does not exist" }];
      case "GET commit": {
        const commit = commits.get(rest);
        return commit ? [200, { sha: rest, tree: { sha: commit.tree }, parents: commit.parents.map((sha) => ({ sha })), message: commit.message }] : notFound;
      }
      case "POST commit": {
        const commit: Commit = {
          tree: String(body.tree),
          parents: body.parents as string[],
          message: String(body.message),
          author: body.author,
          committer: body.committer,
        };
        const sha = sha1(JSON.stringify(commit));
        if (!commits.has(sha)) created.commits++;
        commits.set(sha, commit);
        return [201, { sha, tree: { sha: commit.tree } }];
      }
      case "GET tree": {
        const entries = trees.get(rest);
        if (!entries) return notFound;
        return [200, { sha: rest, truncated: false, tree: [...entries].map(([path, entry]) => ({ path, mode: entry.mode, type: "blob", sha: entry.sha })) }];
      }
      case "POST tree": {
        const entries: TreeEntries = new Map(body.base_tree ? trees.get(String(body.base_tree)) : []);
        for (const entry of body.tree as { path: string; mode: string; sha: string | null }[]) {
          if (entry.sha === null) entries.delete(entry.path);
          else entries.set(entry.path, { mode: entry.mode, sha: entry.sha });
        }
        created.trees++;
        return [201, { sha: storeTree(entries) }];
      }
      case "GET blob": {
        const content = blobs.get(rest);
        return content ? [200, { sha: rest, encoding: "base64", content: content.toString("base64") }] : notFound;
      }
      case "POST blob": {
        const content = Buffer.from(String(body.content), body.encoding === "base64" ? "base64" : "utf8");
        const sha = gitBlobSha(content);
        blobs.set(sha, content);
        created.blobs++;
        return [201, { sha }];
      }
    }
  }

  const routeOf = (method: string, path: string): [Route, string] | null => {
    if (method === "GET" && path === "/user") return ["GET user", ""];
    const prefix = `/repos/${owner}/${repo}`;
    if (!path.startsWith(prefix)) return null;
    const tail = path.slice(prefix.length);
    const table: [RegExp, string, Route][] = [
      [/^$/, "GET", "GET repo"],
      [/^\/pulls$/, "GET", "GET pulls"],
      [/^\/pulls$/, "POST", "POST pulls"],
      [/^\/pulls\/(\d+)$/, "GET", "GET pull"],
      [/^\/pulls\/(\d+)$/, "PATCH", "PATCH pull"],
      [/^\/git\/ref\/(.+)$/, "GET", "GET ref"],
      [/^\/git\/refs$/, "POST", "POST ref"],
      [/^\/git\/refs\/(.+)$/, "DELETE", "DELETE ref"],
      [/^\/git\/commits\/(\w+)$/, "GET", "GET commit"],
      [/^\/git\/commits$/, "POST", "POST commit"],
      [/^\/git\/trees\/(\w+)$/, "GET", "GET tree"],
      [/^\/git\/trees$/, "POST", "POST tree"],
      [/^\/git\/blobs\/(\w+)$/, "GET", "GET blob"],
      [/^\/git\/blobs$/, "POST", "POST blob"],
    ];
    for (const [pattern, verb, route] of table) {
      const match = pattern.exec(tail);
      if (match && verb === method) return [route, decodeURIComponent(match[1] ?? "")];
    }
    return null;
  };

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (status === 204) return response.writeHead(204, headers).end();
    response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(body));
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const found = routeOf(request.method ?? "GET", url.pathname);
      if (!found) return send(response, 404, { message: `Not Found: ${request.method} ${url.pathname}` });
      const [route, rest] = found;
      requests.push(route);
      for (const listener of listeners) listener(route);
      if (request.headers.authorization !== `token ${token}`) return send(response, 401, { message: "Bad credentials" });
      const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      const fault = faults.get(route)?.shift();
      if (fault?.kind === "slow") await new Promise((done) => setTimeout(done, fault.delayMs));
      if (fault?.kind === "garbage") return response.writeHead(200, { "content-type": "application/json" }).end("<html>upstream hiccup</html>");
      if (fault?.kind === "status") {
        if (fault.afterWrite) handle(route, rest, url.searchParams, body);
        return send(response, fault.status, { message: fault.message ?? `scripted ${fault.status}` }, fault.headers);
      }
      const [status, answer] = handle(route, rest, url.searchParams, body);
      if (!response.destroyed) send(response, status, answer);
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    owner,
    repo,
    token,
    fail: (route, ...queued) => faults.set(route, [...(faults.get(route) ?? []), ...queued]),
    requests,
    created,
    pulls,
    refs,
    commits,
    filesAt(commit) {
      const entries = trees.get(commits.get(commit)!.tree)!;
      return new Map([...entries].map(([path, entry]) => [path, blobs.get(entry.sha)!.toString("utf8")]));
    },
    blobsAt(commit) {
      return new Map([...trees.get(commits.get(commit)!.tree)!].map(([path, entry]) => [path, entry.sha]));
    },
    onRequest: (listener) => void listeners.push(listener),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
