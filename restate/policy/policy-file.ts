// The sign-off policy file: read from SIGNOFF_POLICY_FILE (YAML, or JSON, which is YAML too), checked
// against the contract's schema with every error placed at its line and column, or the built-in
// default, which is the product's rules written as a policy file.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isNode, LineCounter, parseDocument } from "yaml";
import { PolicyFileSchema, type PolicyFile } from "../contracts/policy";
import { MIN_AUTO_CLEAR_SCORE } from "../contracts/judge-thresholds";

/** The rules a deployment without SIGNOFF_POLICY_FILE runs with. */
export const DEFAULT_POLICY_TEXT = `# The built-in sign-off policy. Rules are tried in order; the first that matches decides.
version: 1
rules:
  - name: critical-severity
    description: critical findings need two different approvers
    when: { severity: [critical] }
    approvals: 2
  - name: high-severity
    description: high and critical findings always need a human sign-off
    when: { severity: [high] }
    approvals: 1
  - name: production-repository
    description: a production repository needs a human sign-off
    when: { repo: "(^|[-_/.])(prod|production|live)([-_/.]|$)" }
    approvals: 1
  - name: low-judge-score
    description: below the auto-clear threshold a human looks even at a plan that passed every check
    when: { scoreBelow: ${MIN_AUTO_CLEAR_SCORE} }
    approvals: 1
  - name: auto-clear
    description: everything else runs on its own
    approvals: 0
`;

/** One problem with a policy file, where it is. */
export interface PolicyProblem {
  /** The value's path in the file, e.g. rules[2].when.severity[0]; "" for the file as a whole. */
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface LoadedPolicy {
  policy: PolicyFile;
  /** sha256 of the file's text ("default" for the built-in policy): recorded with each gate's rule. */
  version: string;
  /** Where it came from: the file's path, or "built-in". */
  source: string;
  /** The file's text as written (the what-if shows and edits it). */
  text: string;
}

export type ParsedPolicy = { ok: true; loaded: LoadedPolicy } | { ok: false; problems: PolicyProblem[] };

const pathText = (path: readonly PropertyKey[]) =>
  path.reduce<string>((text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), "");

/** Parses and checks a policy text; every problem comes with the line and column of the value it is about. */
export function parsePolicyText(text: string, source: string, version = policyDigest(text)): ParsedPolicy {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const { line, col } = at(error.pos[0]);
        return { path: "", line, column: col, message: error.message.split("\n")[0]! };
      }),
    };
  }
  const parsed = PolicyFileSchema.safeParse(document.toJS());
  if (parsed.success) return { ok: true, loaded: { policy: parsed.data, version, source, text } };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      // The deepest node the path reaches: a missing key is placed at the map that lacks it.
      let path = issue.path.map((key) => (typeof key === "symbol" ? String(key) : key));
      let node = document.getIn(path, true);
      while (!isNode(node) && path.length > 0) {
        path = path.slice(0, -1);
        node = path.length > 0 ? document.getIn(path, true) : document.contents;
      }
      const offset = isNode(node) && node.range ? node.range[0] : 0;
      const { line, col } = at(offset);
      return { path: pathText(issue.path), line, column: col, message: issue.message };
    }),
  };
}

export const policyDigest = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;

/** `FILE:line:column: path: message`, one problem per line: what the check command and start-up print. */
export function describeProblems(source: string, problems: readonly PolicyProblem[]): string {
  return problems.map((problem) => `${source}:${problem.line}:${problem.column}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}`).join("\n");
}

export class PolicyFileError extends Error {
  override name = "PolicyFileError";
}

/** The policy SIGNOFF_POLICY_FILE names, or the built-in one; throws a PolicyFileError listing every problem. */
export function loadPolicy(file: string | undefined): LoadedPolicy {
  if (!file) {
    const parsed = parsePolicyText(DEFAULT_POLICY_TEXT, "built-in", "default");
    if (!parsed.ok) throw new PolicyFileError(`the built-in policy is invalid:\n${describeProblems("built-in", parsed.problems)}`);
    return parsed.loaded;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new PolicyFileError(`SIGNOFF_POLICY_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const parsed = parsePolicyText(text, file);
  if (!parsed.ok) throw new PolicyFileError(`SIGNOFF_POLICY_FILE ${file} is invalid:\n${describeProblems(file, parsed.problems)}`);
  return parsed.loaded;
}
