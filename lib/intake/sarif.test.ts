import { describe, expect, it } from "vitest";
import { FindingSchema } from "@/restate/contracts/schemas";
import { edit, sample, thrownBy, valueAt } from "./fixtures/samples";
import { findingsFromSarif, jsonPath, repoFromUri, SarifRefusal, severityOfScore } from "./sarif";

const read = (document: unknown, repo?: string) => findingsFromSarif(document, { maxResults: 100, ...(repo ? { repo } : {}) });

const refusalOf = (run: () => unknown) => thrownBy(SarifRefusal, run);

describe("findingsFromSarif", () => {
  it("reads Semgrep output: one valid finding per result, repo from versionControlProvenance, severity from the level", () => {
    const { findings, skipped } = read(sample("semgrep"));
    expect(skipped).toEqual([]);
    expect(findings.map(({ finding }) => FindingSchema.parse(finding))).toHaveLength(2);
    const [redirect, sqli] = findings.map(({ finding }) => finding);
    expect(redirect).toMatchObject({
      source: "Semgrep OSS",
      severity: "medium",
      repo: "acme/web-storefront",
      id: expect.stringMatching(/^sarif-semgrep-oss-[0-9a-f]{24}$/),
    });
    expect(redirect?.description).toContain("src/routes/login.js:42");
    expect(redirect?.description).toContain("req.query.next");
    expect(sqli?.severity).toBe("high");
    expect(findings[1]?.path).toBe("$.runs[0].results[1]");
  });

  it("reads CodeQL output: rules in an extension, security-severity before problem.severity", () => {
    const { findings } = read(sample("codeql"));
    expect(findings.map(({ finding }) => [finding.source, finding.severity, finding.repo])).toEqual([
      ["CodeQL", "high", "acme/orders-api"],
      ["CodeQL", "low", "acme/orders-api"],
    ]);
    expect(findings[0]?.title).toBe("Database query built from user-controlled sources");
    expect(findings[0]?.finding.description).toContain("js/sql-injection");
  });

  it("reads Trivy output with the repo given by the request, severity from the score or the tag", () => {
    const { findings } = read(sample("trivy"), "acme/web-storefront");
    expect(findings.map(({ finding }) => [finding.severity, finding.repo])).toEqual([
      ["high", "acme/web-storefront"],
      ["high", "acme/web-storefront"],
      ["medium", "acme/web-storefront"],
    ]);
    // Three packages at the same spot of one lock file are three findings.
    expect(new Set(findings.map(({ finding }) => finding.id)).size).toBe(3);
    const trivy = sample("trivy");
    edit(trivy, "runs[0].tool.driver.rules[2].properties.tags", undefined);
    expect(read(trivy, "acme/web-storefront").findings[2]?.finding.severity).toBe("medium");
  });

  it("gives the same result the same id on every upload, and another id in another repository", () => {
    const first = read(sample("semgrep")).findings.map(({ finding }) => finding.id);
    expect(read(sample("semgrep")).findings.map(({ finding }) => finding.id)).toEqual(first);
    expect(read(sample("semgrep"), "acme/other").findings.map(({ finding }) => finding.id)).not.toContain(first[0]);
  });

  it("keeps a fingerprinted result's id when its line moves, and follows the location when there is no fingerprint", () => {
    const before = read(sample("codeql")).findings[0]?.finding.id;
    const moved = sample("codeql");
    edit(moved, "runs[0].results[0].locations[0].physicalLocation.region.startLine", 30);
    expect(read(moved).findings[0]?.finding.id).toBe(before);

    const trivy = sample("trivy");
    const unmoved = read(trivy, "acme/web").findings[0]?.finding.id;
    edit(trivy, "runs[0].results[0].locations[0].physicalLocation.region.startLine", 7);
    expect(read(trivy, "acme/web").findings[0]?.finding.id).not.toBe(unmoved);
  });

  it.each([
    [9.8, "critical"],
    [9.0, "critical"],
    [7.0, "high"],
    [5.3, "medium"],
    [3.9, "low"],
    [0, "low"],
  ] as const)("maps a security-severity of %s to %s", (score, severity) => {
    expect(severityOfScore(score)).toBe(severity);
    const codeql = sample("codeql");
    edit(codeql, 'runs[0].tool.extensions[0].rules[0].properties["security-severity"]', String(score));
    expect(read(codeql).findings[0]?.finding.severity).toBe(severity);
  });

  it("maps CodeQL's problem.severity and the SARIF level when there is no score", () => {
    const codeql = sample("codeql");
    const rule = "runs[0].tool.extensions[0].rules[0]";
    edit(codeql, `${rule}.properties["security-severity"]`, undefined);
    expect(read(codeql).findings[0]?.finding.severity).toBe("high");
    edit(codeql, `${rule}.properties["problem.severity"]`, "warning");
    expect(read(codeql).findings[0]?.finding.severity).toBe("medium");
    edit(codeql, `${rule}.properties["problem.severity"]`, undefined);
    edit(codeql, `${rule}.defaultConfiguration.level`, "note");
    expect(read(codeql).findings[0]?.finding.severity).toBe("low");
    edit(codeql, "runs[0].results[0].level", "error");
    expect(read(codeql).findings[0]?.finding.severity).toBe("high");
  });

  it("skips results that are not open problems: passed, suppressed, absent", () => {
    const semgrep = sample("semgrep");
    edit(semgrep, "runs[0].results[0].suppressions", [{ kind: "inSource" }]);
    edit(semgrep, "runs[0].results[1].kind", "pass");
    const trivy = sample("trivy");
    edit(trivy, "runs[0].results[0].baselineState", "absent");
    edit(trivy, "runs[0].results[1].suppressions", [{ kind: "external", status: "rejected" }]);
    expect(read(semgrep).findings).toEqual([]);
    expect(read(semgrep).skipped.map((skip) => skip.reason)).toEqual(["suppressed", 'its kind is "pass", not a problem']);
    expect(read(trivy, "acme/web").findings).toHaveLength(2);
  });

  it("fills a message given by id from the rule's message strings", () => {
    const semgrep = sample("semgrep");
    edit(semgrep, "runs[0].tool.driver.rules[0].messageStrings", { default: { text: "Redirect to {0} without a check." } });
    edit(semgrep, "runs[0].results[0].message", { id: "default", arguments: ["req.query.next"] });
    expect(read(semgrep).findings[0]?.finding.description).toContain("Redirect to req.query.next without a check.");
  });

  it("cleans what a scanner wrote: control and bidi characters go, an overlong message is cut to the limit", () => {
    const semgrep = sample("semgrep");
    edit(semgrep, "runs[0].results[0].message.text", `evil\u0007 text \u202Ereversed\u202C ${"x".repeat(5000)}`);
    edit(semgrep, "runs[0].tool.driver.name", "Semgrep\u0000");
    const finding = read(semgrep).findings[0]?.finding;
    expect(FindingSchema.safeParse(finding).success).toBe(true);
    expect(finding?.description.length).toBe(2000);
    expect(finding?.description).toContain("evil  text reversed");
  });

  it.each([
    ["not an object", "nope", "$", /JSON object/],
    ["another version", { version: "2.0.0", runs: [] }, "$.version", /2\.1\.0/],
    ["no runs", { version: "2.1.0" }, "$.runs", /array of runs/],
    ["a run without a tool", { version: "2.1.0", runs: [{ results: [] }] }, "$.runs[0].tool", /tool/],
    [
      "a result without a message",
      { version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r" }] }] },
      "$.runs[0].results[0].message",
      /message/,
    ],
    [
      "a message with neither text nor id",
      { version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r", message: {} }] }] },
      "$.runs[0].results[0].message",
      /text or an id/,
    ],
    [
      "a negative line",
      {
        version: "2.1.0",
        runs: [
          {
            tool: { driver: { name: "x" } },
            results: [{ ruleId: "r", message: { text: "m" }, locations: [{ physicalLocation: { region: { startLine: -1 } } }] }],
          },
        ],
      },
      "$.runs[0].results[0].locations[0].physicalLocation.region.startLine",
      /negative/,
    ],
  ])("refuses %s, naming the JSON path", (_, document, path, message) => {
    const refused = refusalOf(() => read(document, "acme/web"));
    expect(refused.reason).toBe("invalid");
    expect(refused.problems[path]).toMatch(message);
    expect(refused.message).toContain(path);
  });

  it("refuses results with no rule, a rule index out of range, or a run that names no repository", () => {
    const noRule = { version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" } }] }] };
    expect(refusalOf(() => read(noRule, "acme/web")).problems["$.runs[0].results[0].ruleId"]).toMatch(/ruleId/);
    const trivy = sample("trivy");
    edit(trivy, "runs[0].results[2].ruleIndex", 9);
    expect(refusalOf(() => read(trivy, "acme/web")).problems["$.runs[0].results[2].ruleIndex"]).toMatch(/names no rule/);
    expect(refusalOf(() => read(sample("trivy"))).problems["$.runs[0].versionControlProvenance"]).toMatch(/\?repo=/);
    const badUri = sample("semgrep");
    edit(badUri, "runs[0].versionControlProvenance[0].repositoryUri", "https://github.com/acme/we b;rm");
    expect(Object.keys(refusalOf(() => read(badUri)).problems)).toEqual(["$.runs[0].versionControlProvenance[0].repositoryUri"]);
    expect(refusalOf(() => read(sample("semgrep"), "bad repo!")).problems.repo).toMatch(/letters/);
  });

  it("refuses more results than the limit before reading them, naming the limit", () => {
    const trivy = sample("trivy");
    const refused = refusalOf(() => findingsFromSarif(trivy, { repo: "acme/web", maxResults: 2 }));
    expect(refused.reason).toBe("too_many_results");
    expect(refused.message).toMatch(/3 results; at most 2/);
    expect(findingsFromSarif(trivy, { repo: "acme/web", maxResults: 3 }).findings).toHaveLength(3);
  });

  it("counts the same result twice in one upload once", () => {
    const semgrep = sample("semgrep");
    edit(semgrep, "runs[0].results[2]", structuredClone(valueAt(semgrep, "runs[0].results[0]")));
    const { findings, skipped } = read(semgrep);
    expect(findings).toHaveLength(2);
    expect(skipped[0]?.reason).toMatch(/the same result as another/);
  });
});

describe("repoFromUri and jsonPath", () => {
  it.each([
    ["https://github.com/acme/web.git", "acme/web"],
    ["https://gitlab.example.com/group/sub/app", "group/sub/app"],
    ["git@github.com:acme/web.git", "acme/web"],
    ["ssh://git@github.com/acme/web", "acme/web"],
    ["not a uri", null],
    ["https://github.com/", null],
  ])("reads %s as %s", (uri, repo) => {
    expect(repoFromUri(uri)).toBe(repo);
  });

  it("writes paths as people read them", () => {
    expect(jsonPath(["runs", 0, "results", 3, "properties", "security-severity"])).toBe('$.runs[0].results[3].properties["security-severity"]');
    expect(jsonPath([])).toBe("$");
  });
});
