// POST /api/intake/sarif against a real restate-server and the real services: scanner output in, runs out.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, IntakeResponseSchema, type IntakeResponse } from "@/lib/api/contracts";
import { edit, sample as fixtureSample, valueAt, type JsonDocument } from "@/lib/intake/fixtures/samples";
import { findingsFromSarif } from "@/lib/intake/sarif";
import { callRoute, consoleStackPerFile, routeModule, tokenOf } from "@/lib/test/route-harness";
import { describeOutcome, submitSarif } from "@/scripts/submit";

// Small limits, so that an oversized upload is cheap to make.
process.env.SARIF_MAX_BYTES = String(64 * 1024);
process.env.SARIF_MAX_RESULTS = "20";

const ctx = consoleStackPerFile();
const routes = routeModule(() => import("./route"));

let uploads = 0;
/** A fixture under lib/intake/fixtures, its repository made unique to this upload so earlier tests' runs do not count. */
function sample(name: "semgrep" | "codeql" | "trivy"): JsonDocument {
  const document = fixtureSample(name);
  uploads += 1;
  const uri = valueAt(document, "runs[0].versionControlProvenance[0].repositoryUri");
  if (typeof uri === "string") edit(document, "runs[0].versionControlProvenance[0].repositoryUri", `${uri}-${Date.now().toString(36)}-${uploads}`);
  return document;
}
const idsOf = (document: JsonDocument, repo?: string) =>
  findingsFromSarif(document, { maxResults: 100, ...(repo ? { repo } : {}) }).findings.map(({ finding }) => finding.id);

const upload = (body: unknown, options: { as?: string | null; query?: string } = {}) =>
  callRoute<IntakeResponse>(routes.POST, `/api/intake/sarif${options.query ?? ""}`, {
    method: "POST",
    body,
    as: options.as === undefined ? "sam" : options.as,
  });

/** Every run the engine holds for these finding ids: proof of what was (not) started. */
async function runsOf(ids: readonly string[]): Promise<string[]> {
  const list = ids.map((id) => `'${id}'`).join(", ");
  const rows = await ctx.stack.sql<{ target_service_key: string }>(
    `SELECT target_service_key FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run' AND target_service_key IN (${list})`,
  );
  return rows.map((row) => row.target_service_key);
}

describe("POST /api/intake/sarif", () => {
  it("starts a run per Semgrep result, submitted by the token's operator and signed; the same upload again starts nothing new", async () => {
    const semgrep = sample("semgrep");
    const first = await upload(semgrep);
    expect(first.status).toBe(202);
    const answer = IntakeResponseSchema.parse(first.body);
    expect(answer.submittedBy).toBe("sam");
    expect(answer.started.map((run) => run.findingId)).toEqual(idsOf(semgrep));
    expect(answer.started.map((run) => run.severity)).toEqual(["medium", "high"]);
    expect(answer.known).toEqual([]);

    for (const run of answer.started) {
      const status = await ctx.stack.waitFor(run.findingId, (current) => current.submittedBy !== null);
      expect(status.submittedBy).toBe("sam");
      // The services signed the submitter, as for a finding submitted through the console.
      expect(status.submittedByAttestation).toEqual(expect.any(String));
      expect(status.finding?.source).toBe("Semgrep OSS");
    }

    const again = await upload(semgrep);
    expect(again.status).toBe(200);
    expect(again.body.started).toEqual([]);
    expect(again.body.known).toEqual(answer.started);
    expect((await runsOf(idsOf(semgrep))).sort()).toEqual(idsOf(semgrep).sort());
  });

  it("reads CodeQL output (severity from security-severity and problem.severity) and Trivy output with ?repo=", async () => {
    const codeql = sample("codeql");
    const fromCodeql = await upload(codeql);
    expect(fromCodeql.status).toBe(202);
    expect(fromCodeql.body.started.map((run) => [run.title, run.severity])).toEqual([
      ["Database query built from user-controlled sources", "high"],
      ["Unused variable, import, function or class", "low"],
    ]);

    const repo = `acme/scanned-${Date.now().toString(36)}`;
    const fromTrivy = await upload(sample("trivy"), { query: `?repo=${encodeURIComponent(repo)}` });
    expect(fromTrivy.status).toBe(202);
    expect(fromTrivy.body.started.map((run) => run.severity)).toEqual(["high", "high", "medium"]);
    const status = await ctx.stack.waitFor(fromTrivy.body.started[0]!.findingId, (current) => current.finding !== null);
    expect(status.finding).toMatchObject({ repo, source: "Trivy", severity: "high" });
    expect(status.finding?.description).toContain("lodash");
  });

  it("lists an id held by another source's finding as a conflict, and the same result with a new message as known", async () => {
    const findings = await import("../../findings/route");
    const semgrep = sample("semgrep");
    const [squatted, reworded] = findingsFromSarif(semgrep, { maxResults: 100 }).findings.map(({ finding }) => finding);
    const submit = (body: unknown) => callRoute(findings.POST, "/api/findings", { method: "POST", body, as: "ada" });
    expect((await submit({ ...squatted, source: "someone else" })).status).toBe(202);
    expect((await submit({ ...reworded, description: "what an older version of the scanner said" })).status).toBe(202);

    const answer = await upload(semgrep);
    expect(answer.status).toBe(200);
    expect(answer.body.started).toEqual([]);
    expect(answer.body.conflicts.map((run) => [run.findingId, run.differing])).toEqual([[squatted!.id, ["source"]]]);
    expect(answer.body.known.map((run) => run.findingId)).toEqual([reworded!.id]);
  });

  it("answers 401 to nobody and 403 to a viewer or an approver, and starts nothing for them", async () => {
    const semgrep = sample("semgrep");
    const nobody = await upload(semgrep, { as: null });
    expect(nobody.status).toBe(401);
    for (const as of ["vic", "ana"]) {
      const refused = await upload(semgrep, { as });
      expect(refused.status).toBe(403);
      expect(ApiErrorSchema.parse(refused.body).error.code).toBe("forbidden");
    }
    expect(await runsOf(idsOf(semgrep))).toEqual([]);
    // An admin may submit: the runs are theirs.
    const admin = await upload(semgrep, { as: "ada" });
    expect(admin.body.submittedBy).toBe("ada");
  });

  it("refuses a log with a fault anywhere (400, naming its JSON path) and starts none of its results", async () => {
    const semgrep = sample("semgrep");
    const good = idsOf(semgrep);
    edit(semgrep, "runs[0].results[1].message", undefined);
    edit(semgrep, "runs[0].results[0].locations[0].physicalLocation.region.startLine", "forty-two");
    const refused = await upload(semgrep);
    expect(refused.status).toBe(400);
    const error = ApiErrorSchema.parse(refused.body).error;
    expect(error.code).toBe("bad_request");
    expect(Object.keys(error.fields ?? {}).sort()).toEqual([
      "$.runs[0].results[0].locations[0].physicalLocation.region.startLine",
      "$.runs[0].results[1].message",
    ]);
    expect(error.message).toContain("$.runs[0].results[1].message");
    expect(await runsOf(good)).toEqual([]);
  });

  it.each([
    ["a body that is not JSON", "{not json", "$"],
    ["no body at all", undefined, "$"],
    ["a SARIF 2.0 log", { version: "2.0.0", runs: [] }, "$.version"],
    [
      "a log whose run names no repository",
      { version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r", message: { text: "m" } }] }] },
      "$.runs[0].versionControlProvenance",
    ],
  ])("refuses %s with 400, naming where", async (_, body, path) => {
    const refused = await upload(body);
    expect(refused.status).toBe(400);
    expect(Object.keys(ApiErrorSchema.parse(refused.body).error.fields ?? {})).toContain(path);
  });

  it("refuses a repo that breaks the finding's repo rule (422) and starts nothing", async () => {
    const trivy = sample("trivy");
    const refused = await upload(trivy, { query: "?repo=web%3Brm%20-rf" });
    expect(refused.status).toBe(422);
    expect(ApiErrorSchema.parse(refused.body).error.fields?.repo).toMatch(/repo must be/);
  });

  it("refuses an upload over SARIF_MAX_BYTES (413) and one with more results than SARIF_MAX_RESULTS (400), naming the limit", async () => {
    const big = sample("trivy");
    edit(big, "runs[0].properties.padding", "x".repeat(70 * 1024));
    const tooBig = await upload(big, { query: "?repo=acme/web" });
    expect(tooBig.status).toBe(413);
    expect(ApiErrorSchema.parse(tooBig.body).error.message).toMatch(/64 KiB.*SARIF_MAX_BYTES/);

    const many = sample("trivy");
    const result = valueAt(many, "runs[0].results[0]") as JsonDocument;
    edit(
      many,
      "runs[0].results",
      Array.from({ length: 21 }, (_, line) => ({
        ...result,
        locations: [{ physicalLocation: { artifactLocation: { uri: "package-lock.json" }, region: { startLine: line + 1 } } }],
      })),
    );
    const tooMany = await upload(many, { query: "?repo=acme/web-many" });
    expect(tooMany.status).toBe(400);
    expect(ApiErrorSchema.parse(tooMany.body).error.message).toMatch(/21 results; at most 20 .*SARIF_MAX_RESULTS/);
    expect(await runsOf(idsOf(many, "acme/web-many"))).toEqual([]);
  });
});

/** The route module behind a real HTTP server on loopback, as `next start` would serve it. */
async function serveRoute(handler: typeof routes.POST): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(`http://127.0.0.1${incoming.url}`, { method: incoming.method, headers, body: chunks.length ? Buffer.concat(chunks) : null });
      const response = await handler(request, { params: Promise.resolve({}) });
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("npm run submit -- results.sarif", () => {
  const fixture = (name: string) => fileURLToPath(new URL(`../../../../lib/intake/fixtures/${name}.sarif`, import.meta.url));

  it("posts a file with an API token, prints what started, and starts nothing the second time", async () => {
    const server = await serveRoute(routes.POST);
    try {
      const repo = `acme/submitted-${Date.now().toString(36)}`;
      const first = await submitSarif({ file: fixture("trivy"), consoleUrl: server.url, token: tokenOf("sam"), repo });
      expect(first.ok).toBe(true);
      const printed = describeOutcome(first);
      expect(printed).toMatch(/^started {3}sarif-trivy-[0-9a-f]{24} {2}high {2}lodash: command injection via template$/m);
      expect(printed).toMatch(/^3 started, 0 already known, 0 conflicts, 0 skipped \(submitted by sam\)$/m);
      const second = await submitSarif({ file: fixture("trivy"), consoleUrl: server.url, token: tokenOf("sam"), repo });
      expect(describeOutcome(second)).toMatch(/^0 started, 3 already known/m);

      const viewer = await submitSarif({ file: fixture("trivy"), consoleUrl: server.url, token: tokenOf("vic"), repo });
      expect(describeOutcome(viewer)).toBe("refused (403): Your role (viewer) may not submit here.");
      const noRepo = await submitSarif({ file: fixture("trivy"), consoleUrl: server.url, token: tokenOf("sam") });
      expect(describeOutcome(noRepo)).toMatch(/^refused \(400\): .*\$\.runs\[0\]\.versionControlProvenance: names no repository/);
    } finally {
      await server.close();
    }
  });
});
