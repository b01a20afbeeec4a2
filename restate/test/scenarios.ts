// The seed's scenarios as data: a finding maker and the end state each must reach without faults.
import { LADDER_AGENTS } from "../contracts/rungs";
import type { Attempt, Finding, Stage } from "../contracts/schemas";
import { finding } from "./harness";

export interface Scenario {
  name: string;
  make(prefix: string): Finding;
  /** Needs a sign-off at the gate before it can finish. */
  gated: boolean;
  stage: Extract<Stage, "completed" | "failed" | "rejected">;
  results: Attempt["result"][];
  /** The results when no rung can time out (CRASH_SERVICES_ENV), where they differ from `results`. */
  untimedResults?: Attempt["result"][];
}

/** What a scenario's rungs end with when no rung can time out. */
export const untimedResults = (scenario: Scenario) => scenario.untimedResults ?? scenario.results;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "auto-clear",
    make: (prefix) => finding({ id: `${prefix}-auto-${uid()}`, severity: "low", repo: "web-storefront" }),
    gated: false,
    stage: "completed",
    results: ["accepted"],
  },
  {
    name: "recalibrate",
    make: (prefix) => finding({ id: `${prefix}-recal-${uid()}`, severity: "medium", description: "SQL injection in order search", repo: "orders-db" }),
    gated: false,
    stage: "completed",
    results: ["rejected", "accepted"],
  },
  {
    name: "runaway",
    make: (prefix) => finding({ id: `${prefix}-runaway-${uid()}`, severity: "medium", description: "open redirect", repo: "web-monorepo" }),
    gated: false,
    stage: "completed",
    results: ["timed-out", "accepted"],
    // Without a rung timeout the runaway agent stops after its 40 turns, without a plan.
    untimedResults: ["failed", "accepted"],
  },
  {
    name: "exhausted",
    make: (prefix) =>
      finding({ id: `${prefix}-exhausted-${uid()}`, severity: "medium", description: "XXE in the vendored shared library", repo: "billing-api" }),
    gated: false,
    stage: "failed",
    // Every rung must change another repository: each one's plan is rejected.
    results: LADDER_AGENTS.map(() => "rejected"),
  },
  {
    name: "gated",
    make: (prefix) =>
      finding({ id: `${prefix}-gated-${uid()}`, source: "guardduty", severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" }),
    gated: true,
    stage: "completed",
    results: ["accepted"],
  },
];

let next = 0;
function uid() {
  next += 1;
  return `${Date.now().toString(36)}${next}`;
}

export const SIDE_EFFECTS_OF: Record<Scenario["stage"], string[]> = {
  completed: ["open-ticket", "open-pull-request", "post-message", "export-eval", "export-audit-record"],
  rejected: ["export-eval", "export-audit-record"],
  failed: ["export-eval", "export-audit-record"],
};
export const ALL_EFFECTS = SIDE_EFFECTS_OF.completed;
