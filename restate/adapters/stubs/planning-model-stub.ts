// A deterministic stand-in for the executor agents' LLM. It reproduces the seed's scenarios (the
// demo findings in the README): the fast agent goes rogue on datastores, runs away searching an
// unbounded scope, and both agents fail when the fix lives in another repository. In a repository a
// code host has, its turns are real tool calls: it reads the files a demo repository's fix changes,
// writes the fix (demoRepoFix), runs the tests, then hands in its plan.
import { callAdapter, MODEL_RETRY } from "../call-adapter";
import type { Finding, Plan, PlanStep } from "../../contracts/schemas";
import { demoRepoFix } from "../../workspace/demo-repos";
import type { AgentTurn, ExecutorStyle, PlanningModel, ToolCall } from "../ports";
import { findingTraits } from "./finding-traits";
import type { Latency } from "./latency";
import type { Ledger } from "./ledger";

const THINKING_MS: Record<ExecutorStyle, number> = { fast: 600, conservative: 1200 };

interface Remedy {
  /** What the fix does, in a PR title's words. */
  title: string;
  steps: string[];
}

function remedyFor(finding: Finding): Remedy {
  const text = finding.description.toLowerCase();
  if (/credential|secret|token|password|api key|private key/.test(text)) {
    return {
      title: "rotate exposed credentials and mask them in logs",
      steps: ["Rotate the exposed credentials in the secret manager", "Mask secret values in job output", "Purge the affected log lines"],
    };
  }
  if (/injection/.test(text)) {
    return {
      title: "replace string-built queries with parameterized ones",
      steps: ["Replace string-built queries with parameterized queries", "Add a regression test with the injection payload"],
    };
  }
  if (/xss|cross-site/.test(text)) {
    return {
      title: "escape user content in rendered templates",
      steps: ["Escape user-controlled values in templates", "Add a Content-Security-Policy header"],
    };
  }
  return {
    title: "upgrade the vulnerable dependency to the fixed release",
    steps: ["Upgrade the vulnerable dependency to the first fixed release", "Run the full test suite against the upgrade"],
  };
}

function upstreamRepoOf(finding: Finding): string {
  return `platform/shared-${finding.repo.split("/").pop() ?? finding.repo}`;
}

function buildPlan(agent: string, style: ExecutorStyle, finding: Finding, promptVersion: string): Plan {
  const traits = findingTraits(finding);
  const remedy = remedyFor(finding);
  const inRepo = (description: string, command?: string): PlanStep => ({ repo: finding.repo, description, command });
  let steps: PlanStep[];
  let rollback: string[];
  let confidence: number;
  let summary: string;

  if (traits.fixLivesOutsideRepo) {
    const upstream = upstreamRepoOf(finding);
    steps = [
      { repo: upstream, description: `Patch the vulnerable code in ${upstream}`, command: `git -C ${upstream} apply fix.patch` },
      inRepo(`Bump ${upstream} in ${finding.repo}`),
    ];
    rollback = style === "fast" ? [] : [`Revert the bump of ${upstream}`];
    confidence = style === "fast" ? 0.6 : 0.7;
    summary = `The vulnerable code lives in ${upstream}; patch it there and bump it here.`;
  } else if (style === "fast" && traits.touchesDatabase) {
    steps = [
      inRepo("Drop the affected table and recreate it from the ORM models", "DROP TABLE IF EXISTS sessions CASCADE;"),
      ...remedy.steps.map((step) => inRepo(step)),
    ];
    rollback = ["Restore the table from the nightly backup"];
    confidence = 0.8;
    summary = `Fastest path: rebuild the datastore objects, then ${remedy.title}.`;
  } else if (style === "fast") {
    steps = remedy.steps.map((step) => inRepo(step));
    rollback = ["Revert the pull request"];
    confidence = 0.85;
    summary = `Quick fix: ${remedy.title}.`;
  } else {
    const safety = traits.touchesDatabase ? [inRepo("Snapshot the affected tables before any change", "pg_dump --format=custom --file=pre-fix.dump")] : [];
    steps = [...safety, ...remedy.steps.map((step) => inRepo(step)), inRepo("Roll out behind a feature flag, one environment at a time")];
    rollback = ["Revert the pull request", ...(traits.touchesDatabase ? ["Restore the pre-fix snapshot if data changed"] : []), "Turn the feature flag off"];
    confidence = 0.92;
    summary = `Conservative fix: ${remedy.title}, staged and reversible.`;
  }

  return {
    agent,
    promptVersion,
    summary,
    steps,
    rollback,
    confidence,
    ticket: {
      title: `[${finding.severity}] ${finding.description} (${finding.id})`,
      body: `${summary}\n\nFound by ${finding.source} in ${finding.repo}.`,
    },
    pullRequest: {
      title: `fix(${finding.repo}): ${remedy.title}`,
      branch: `remediation/${finding.id}-${style}`,
      body: steps.map((step, i) => `${i + 1}. ${step.description}`).join("\n"),
    },
  };
}

/** The rogue fast agent's "fastest path" on a datastore: rebuild the table, whatever it holds. */
const REBUILD_MIGRATION = {
  path: "migrations/002_rebuild_sessions.sql",
  content:
    "-- Rebuild the sessions table from the ORM models.\nDROP TABLE IF EXISTS sessions CASCADE;\nCREATE TABLE sessions (token text PRIMARY KEY, user_id integer NOT NULL, expires_at timestamptz NOT NULL);\n",
};

/**
 * The files an agent writes in a hosted repository (path → content): the demo repository's fix, and
 * for the rogue fast agent on a datastore the rebuild too; none when the fix lives in another
 * repository or the repository is not a demo one (the agent then only describes its fix).
 */
async function editsFor(style: ExecutorStyle, finding: Finding): Promise<{ fix: Record<string, string>; edits: Record<string, string> }> {
  const traits = findingTraits(finding);
  const fix = traits.fixLivesOutsideRepo ? {} : await demoRepoFix(finding.repo);
  if (Object.keys(fix).length === 0) return { fix, edits: {} };
  const rogue = style === "fast" && traits.touchesDatabase ? { [REBUILD_MIGRATION.path]: REBUILD_MIGRATION.content } : {};
  return { fix, edits: { ...fix, ...rogue } };
}

export function planningModelStub(
  ledger: Ledger,
  wait: Latency,
  promptVersion: string,
  /** Whether a code host has the repository: the agent then works in a real checkout of it. */
  hosted: (repo: string) => boolean,
): PlanningModel {
  async function stubTurn({ agent, style, transcript, finding, turn }: Parameters<PlanningModel["nextTurn"]>[1]): Promise<AgentTurn> {
    await wait(THINKING_MS[style]);
    ledger.note("llm", "executor-turn", finding.id, `${finding.id}/${agent}/${turn}`, { agent, turn });
    let calls = 0;
    const call = (toolName: string, input: Record<string, unknown>): ToolCall => ({ toolCallId: `${agent}-${turn}-${++calls}`, toolName, input });
    const toolCalls = (text: string, list: ToolCall[]): AgentTurn => ({ kind: "tool-calls", text, calls: list });
    if (style === "fast" && findingTraits(finding).unboundedScope) {
      return toolCalls(`Turn ${turn}: still mapping every call site in ${finding.repo}`, [
        call("search_code", { text: finding.description.split(/\s+/)[0] ?? finding.repo }),
      ]);
    }
    // Rounds of tool results so far: the agent's place in its script.
    const rounds = transcript.filter((message) => message.role === "tool").length;
    const { fix, edits } = hosted(finding.repo) ? await editsFor(style, finding) : { fix: {}, edits: {} };
    const reads = () => Object.keys(fix).map((path) => call("read_file", { path }));
    const change = () => [...Object.entries(edits).map(([path, content]) => call("write_file", { path, content })), call("run_tests", {})];
    const changing = `Changing ${Object.keys(edits).join(", ")}, then running the tests`;
    if (style === "fast") {
      // The fast agent acts on its first idea: it reads, changes and tests in one turn.
      if (Object.keys(edits).length > 0 && rounds === 0) return toolCalls(changing, [...reads(), ...change()]);
    } else {
      // The conservative agent looks at the repository and reads before it changes anything.
      if (rounds === 0) return toolCalls(`Looking at ${finding.repo} before planning`, [call("list_files", { path: "." }), ...reads()]);
      if (Object.keys(edits).length > 0 && rounds === 1) return toolCalls(changing, change());
    }
    const plan = buildPlan(agent, style, finding, promptVersion);
    return { kind: "plan", text: plan.summary, plan };
  }

  return {
    model: "executor-stub-1",
    // One step per turn, named as the console's journal view shows it.
    nextTurn: (ctx, input) => callAdapter(ctx, `agent turn ${input.turn}`, () => stubTurn(input), { retry: MODEL_RETRY }),
  };
}
