// SARIF 2.1.0 from any scanner (Semgrep, CodeQL, Trivy, Snyk Code...) → findings. Only the part of the
// format this reads is checked, and anything else a scanner adds is left alone; what is wrong is named
// by its JSON path ("$.runs[0].results[3].message"), and nothing is taken from a document with a fault.
import { z } from "zod";
import type { Finding, Severity } from "@/restate/contracts/schemas";
import { cleanText, DESCRIPTION_MAX, digest, findingId, isRepoName, oneLine, slug, SOURCE_MAX } from "./finding-text";

/** A document refused whole: `problems` maps JSON paths to what is wrong there. */
export class SarifRefusal extends Error {
  override name = "SarifRefusal";
  constructor(
    message: string,
    readonly problems: Record<string, string>,
    /** "too_many_results" when the document is valid as far as read but over the result limit. */
    readonly reason: "invalid" | "too_many_results" = "invalid",
  ) {
    super(message);
  }
}

const Level = z.enum(["none", "note", "warning", "error"], { error: 'must be one of "none", "note", "warning", "error"' });
const Count = z.number({ error: "must be a whole number" }).int("must be a whole number").nonnegative("must not be negative");

const MultiformatMessage = z.looseObject({ text: z.string({ error: "must be a string" }), markdown: z.string().optional() });

const Message = z
  .looseObject(
    {
      text: z.string({ error: "must be a string" }).optional(),
      markdown: z.string({ error: "must be a string" }).optional(),
      id: z.string({ error: "must be a string" }).optional(),
      arguments: z.array(z.string({ error: "must be a string" })).optional(),
    },
    { error: "a result needs a message object" },
  )
  .refine((message) => message.text !== undefined || message.id !== undefined, "a message needs text or an id");

const PropertyBag = z.looseObject({
  tags: z.array(z.string({ error: "must be a string" })).optional(),
  "security-severity": z.union([z.string(), z.number()], { error: "must be a number or a numeric string" }).optional(),
  "problem.severity": z.string({ error: "must be a string" }).optional(),
});

const Rule = z.looseObject({
  id: z.string({ error: "a rule needs an id" }).min(1, "a rule needs an id"),
  name: z.string().optional(),
  shortDescription: MultiformatMessage.optional(),
  fullDescription: MultiformatMessage.optional(),
  messageStrings: z.record(z.string(), MultiformatMessage).optional(),
  helpUri: z.string().optional(),
  defaultConfiguration: z.looseObject({ level: Level.optional() }).optional(),
  properties: PropertyBag.optional(),
});
type Rule = z.infer<typeof Rule>;

const ToolComponent = z.looseObject({
  name: z.string({ error: "a tool needs a name" }).min(1, "a tool needs a name"),
  rules: z.array(Rule, { error: "must be an array of rules" }).optional(),
});

const Location = z.looseObject({
  physicalLocation: z
    .looseObject({
      artifactLocation: z.looseObject({ uri: z.string({ error: "must be a string" }).optional() }).optional(),
      region: z.looseObject({ startLine: Count.optional(), startColumn: Count.optional(), endLine: Count.optional(), endColumn: Count.optional() }).optional(),
    })
    .optional(),
  logicalLocations: z.array(z.looseObject({ fullyQualifiedName: z.string().optional(), name: z.string().optional() })).optional(),
});
type Location = z.infer<typeof Location>;

const Fingerprints = z.record(z.string(), z.string({ error: "must be a string" }), { error: "must be an object of strings" });

const Result = z.looseObject({
  ruleId: z.string({ error: "must be a string" }).min(1, "must not be empty").optional(),
  ruleIndex: Count.optional(),
  rule: z
    .looseObject({
      id: z.string().optional(),
      index: Count.optional(),
      toolComponent: z.looseObject({ index: Count.optional(), name: z.string().optional() }).optional(),
    })
    .optional(),
  kind: z.enum(["pass", "open", "informational", "notApplicable", "review", "fail"], { error: "not a SARIF result kind" }).optional(),
  level: Level.optional(),
  message: Message,
  locations: z.array(Location, { error: "must be an array" }).optional(),
  fingerprints: Fingerprints.optional(),
  partialFingerprints: Fingerprints.optional(),
  suppressions: z.array(z.looseObject({ status: z.enum(["accepted", "underReview", "rejected"]).optional() })).optional(),
  baselineState: z.enum(["new", "unchanged", "updated", "absent"]).optional(),
  properties: PropertyBag.optional(),
});
type Result = z.infer<typeof Result>;

const Run = z.looseObject({
  tool: z.looseObject(
    { driver: ToolComponent, extensions: z.array(ToolComponent, { error: "must be an array" }).optional() },
    { error: "a run needs a tool with a driver" },
  ),
  results: z.array(Result, { error: "must be an array of results" }).nullable().optional(),
  versionControlProvenance: z.array(z.looseObject({ repositoryUri: z.string({ error: "must be a string" }) })).optional(),
});
type Run = z.infer<typeof Run>;

const SarifLog = z.looseObject(
  {
    version: z.literal("2.1.0", { error: 'must be "2.1.0" (SARIF 2.1.0 is the version read here)' }),
    runs: z.array(Run, { error: "must be an array of runs" }),
  },
  { error: "a SARIF log is a JSON object" },
);

/** "$.runs[0].results[3].message": the path of a zod issue, in the form people read JSON paths. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === "number") return `${text}[${key}]`;
    const name = String(key);
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${text}.${name}` : `${text}[${JSON.stringify(name)}]`;
  }, "$");
}

function refusal(problems: Record<string, string>, reason: SarifRefusal["reason"] = "invalid"): SarifRefusal {
  const listed = Object.entries(problems)
    .slice(0, 10)
    .map(([path, problem]) => `${path}: ${problem}`);
  const more = Object.keys(problems).length - listed.length;
  return new SarifRefusal(`Not a SARIF 2.1.0 log this console can read: ${listed.join("; ")}${more > 0 ? `; and ${more} more` : ""}`, problems, reason);
}

/** A finding taken from one result, with where it came from. */
export interface SarifFinding {
  finding: Finding;
  /** The rule's short description or name: a one-line title. */
  title: string;
  /** The result's JSON path in the uploaded document. */
  path: string;
}

export interface SarifIntake {
  findings: SarifFinding[];
  /** Results that are not open problems (passed, suppressed, gone from the baseline), by JSON path. */
  skipped: { path: string; reason: string }[];
}

export interface SarifOptions {
  /** The repository every run's findings belong to; else each run's versionControlProvenance names it. */
  repo?: string;
  /** The most results one document may carry. */
  maxResults: number;
}

/**
 * The findings in a SARIF log: one per open result, with an id that is the same for the same result
 * in the same repository whenever it is uploaded. Throws SarifRefusal naming what is wrong.
 */
export function findingsFromSarif(document: unknown, options: SarifOptions): SarifIntake {
  // Counted before anything else is checked: an oversized log is refused without reading it all.
  const count = countResults(document);
  if (count > options.maxResults) {
    throw refusal(
      { "$.runs[*].results": `${count} results; at most ${options.maxResults} are accepted in one upload (SARIF_MAX_RESULTS)` },
      "too_many_results",
    );
  }
  const parsed = SarifLog.safeParse(document);
  if (!parsed.success) {
    const problems: Record<string, string> = {};
    for (const issue of parsed.error.issues) problems[jsonPath(issue.path)] ??= issue.message;
    throw refusal(problems);
  }
  if (options.repo !== undefined && !isRepoName(options.repo)) {
    throw refusal({ repo: "must be 1-100 letters, digits, '.', '_', '/' or '-', starting with a letter or digit" });
  }

  const problems: Record<string, string> = {};
  const intake: SarifIntake = { findings: [], skipped: [] };
  const seen = new Set<string>();
  parsed.data.runs.forEach((run, runIndex) => {
    const repo = options.repo ?? repoOfRun(run, runIndex, problems);
    (run.results ?? []).forEach((result, resultIndex) => {
      const path = `$.runs[${runIndex}].results[${resultIndex}]`;
      const skip = skipReason(result);
      if (skip) {
        intake.skipped.push({ path, reason: skip });
        return;
      }
      const rule = ruleOf(run, result, path, problems);
      if (rule === undefined || repo === undefined) return;
      const mapped = toFinding(run, result, rule, repo, path);
      if (seen.has(mapped.finding.id)) {
        intake.skipped.push({ path, reason: `the same result as another in this upload (${mapped.finding.id})` });
        return;
      }
      seen.add(mapped.finding.id);
      intake.findings.push(mapped);
    });
  });
  if (Object.keys(problems).length > 0) throw refusal(problems);
  return intake;
}

function countResults(document: unknown): number {
  const runs = (document as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) return 0;
  return runs.reduce<number>((total, run) => {
    const results = (run as { results?: unknown } | null)?.results;
    return total + (Array.isArray(results) ? results.length : 0);
  }, 0);
}

/** Why a result is not an open problem, or null when it is one. */
function skipReason(result: Result): string | null {
  if (result.kind !== undefined && !["fail", "open", "review"].includes(result.kind)) return `its kind is "${result.kind}", not a problem`;
  if (result.suppressions?.some((suppression) => suppression.status === undefined || suppression.status === "accepted")) return "suppressed";
  if (result.baselineState === "absent") return "absent from this scan (baselineState)";
  return null;
}

/** "acme/web" from https://github.com/acme/web.git, git@github.com:acme/web.git or ssh://…/acme/web. */
export function repoFromUri(uri: string): string | null {
  const scp = /^[\w.-]+@[\w.-]+:(?!\/\/)(.+)$/.exec(uri);
  let path: string;
  if (scp?.[1]) path = scp[1];
  else {
    try {
      path = new URL(uri).pathname;
    } catch {
      return null;
    }
  }
  const name = decodeURIComponent(path)
    .replace(/^\/+|\/+$/g, "")
    .replace(/\.git$/, "");
  return isRepoName(name) ? name : null;
}

function repoOfRun(run: Run, runIndex: number, problems: Record<string, string>): string | undefined {
  const provenance = run.versionControlProvenance?.[0];
  if (!provenance) {
    problems[`$.runs[${runIndex}].versionControlProvenance`] =
      "names no repository: give one with ?repo=owner/name, or add versionControlProvenance[0].repositoryUri";
    return undefined;
  }
  const repo = repoFromUri(provenance.repositoryUri);
  if (!repo) {
    problems[`$.runs[${runIndex}].versionControlProvenance[0].repositoryUri`] =
      "is not a repository URL with a usable name (letters, digits, '.', '_', '/', '-')";
    return undefined;
  }
  return repo;
}

/** The rule a result refers to: by index into the driver or an extension, else by id; a bare ruleId is enough. */
function ruleOf(run: Run, result: Result, path: string, problems: Record<string, string>): Rule | { id: string } | undefined {
  const componentIndex = result.rule?.toolComponent?.index;
  const component = componentIndex === undefined ? run.tool.driver : run.tool.extensions?.[componentIndex];
  if (!component) {
    problems[`${path}.rule.toolComponent.index`] = `names no tool extension (the run has ${run.tool.extensions?.length ?? 0})`;
    return undefined;
  }
  const index = result.rule?.index ?? result.ruleIndex;
  const id = result.ruleId ?? result.rule?.id;
  if (index !== undefined) {
    const rule = component.rules?.[index];
    if (!rule) {
      problems[`${path}.${result.rule?.index !== undefined ? "rule.index" : "ruleIndex"}`] = `names no rule (the tool lists ${component.rules?.length ?? 0})`;
      return undefined;
    }
    return rule;
  }
  if (id === undefined) {
    problems[`${path}.ruleId`] = "a result needs ruleId, rule.id or ruleIndex";
    return undefined;
  }
  return component.rules?.find((rule) => rule.id === id) ?? run.tool.extensions?.flatMap((ext) => ext.rules ?? []).find((rule) => rule.id === id) ?? { id };
}

const SEVERITY_WORDS: Record<string, Severity> = { critical: "critical", high: "high", medium: "medium", moderate: "medium", low: "low" };

/** CVSS-like score bands, as GitHub reads `security-severity`. */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  return "low";
}

/**
 * The finding's severity: a `security-severity` score (result, then rule), else a severity tag
 * ("CRITICAL", "high"), else CodeQL's `problem.severity`, else the SARIF level (result, then the rule's default).
 */
export function severityOf(result: Result, rule: Rule | { id: string }): Severity {
  const ruleProperties = "properties" in rule ? rule.properties : undefined;
  const score = Number(result.properties?.["security-severity"] ?? ruleProperties?.["security-severity"] ?? Number.NaN);
  if (Number.isFinite(score)) return severityOfScore(score);
  for (const tag of [...(result.properties?.tags ?? []), ...(ruleProperties?.tags ?? [])]) {
    const severity = SEVERITY_WORDS[tag.trim().toLowerCase()];
    if (severity) return severity;
  }
  const problem = result.properties?.["problem.severity"] ?? ruleProperties?.["problem.severity"];
  if (problem === "error") return "high";
  if (problem === "warning") return "medium";
  if (problem === "recommendation") return "low";
  const level = result.level ?? ("defaultConfiguration" in rule ? rule.defaultConfiguration?.level : undefined) ?? "warning";
  return level === "error" ? "high" : level === "warning" ? "medium" : "low";
}

/** The result's message: its text, else the rule's message string it names, with {0}-style arguments filled in. */
function messageText(result: Result, rule: Rule | { id: string }): string {
  const template = result.message.text ?? (result.message.id && "messageStrings" in rule ? rule.messageStrings?.[result.message.id]?.text : undefined) ?? "";
  const args = result.message.arguments ?? [];
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => args[Number(index)] ?? whole);
}

function locationText(location: Location | undefined): string | null {
  const physical = location?.physicalLocation;
  const uri = physical?.artifactLocation?.uri;
  if (uri) {
    const line = physical.region?.startLine;
    return line ? `${uri}:${line}` : uri;
  }
  const logical = location?.logicalLocations?.[0];
  return logical?.fullyQualifiedName ?? logical?.name ?? null;
}

/** What identifies a result across uploads: the scanner's fingerprints when it gives them (they survive moved lines), else where it is and what it says. */
function identityParts(result: Result, location: Location | undefined, message: string): string[] {
  const fingerprints = result.fingerprints ?? result.partialFingerprints;
  if (fingerprints && Object.keys(fingerprints).length > 0) {
    return Object.entries(fingerprints)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([key, value]) => [key, value]);
  }
  const region = location?.physicalLocation?.region;
  return [locationText(location) ?? "", String(region?.startColumn ?? ""), String(region?.endLine ?? ""), String(region?.endColumn ?? ""), message];
}

function toFinding(run: Run, result: Result, rule: Rule | { id: string }, repo: string, path: string): SarifFinding {
  const tool = run.tool.driver.name;
  const full: Partial<Rule> = rule;
  const title = oneLine(full.shortDescription?.text ?? full.name ?? rule.id, 200);
  const message = messageText(result, rule);
  const location = result.locations?.[0];
  const where = locationText(location);
  const parts = [`${title} (${rule.id})`, message, where ? `At ${where} in ${repo}.` : `In ${repo}.`, full.helpUri ? `Rule: ${full.helpUri}` : ""];
  const finding: Finding = {
    id: findingId(`sarif-${slug(tool, 16) || "scan"}`, digest(["sarif", tool, rule.id, repo, ...identityParts(result, location, message)], 24)),
    source: oneLine(tool, SOURCE_MAX) || "sarif",
    severity: severityOf(result, rule),
    description: cleanText(parts.filter(Boolean).join("\n"), DESCRIPTION_MAX),
    repo,
  };
  return { finding, title, path };
}
