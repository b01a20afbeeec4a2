// The seed's example findings, one per scenario the supervisor handles, for one-click submission.
import type { Finding } from "@/restate/contracts/schemas";

export interface FindingPreset {
  key: string;
  title: string;
  /** What the operator should expect to see happen. */
  expect: string;
  /** The id's stem; a short random suffix keeps two clicks from landing on the same run. */
  idStem: string;
  finding: Omit<Finding, "id">;
}

export const FINDING_PRESETS: readonly FindingPreset[] = [
  {
    key: "harmless",
    title: "Harmless dependency bump",
    expect: "The fast executor's plan passes the judge and auto-clears the policy gate.",
    idStem: "cve-001",
    finding: { source: "snyk", severity: "low", description: "outdated lodash with prototype pollution", repo: "web-storefront" },
  },
  {
    key: "credentials",
    title: "Exposed credentials in CI logs",
    expect: "High severity: the run suspends at the policy gate until an engineer signs off.",
    idStem: "cve-005",
    finding: { source: "guardduty", severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" },
  },
  {
    key: "rogue",
    title: "SQL injection in a production database",
    expect: "The fast executor goes rogue with a destructive plan; the judge rejects it and the conservative executor takes over.",
    idStem: "cve-006",
    finding: { source: "snyk", severity: "low", description: "SQL injection in session store", repo: "prod-db" },
  },
  {
    key: "runaway",
    title: "Monorepo-wide XSS",
    expect: "The fast executor explores forever: it is timed out and cancelled, the conservative executor plans instead.",
    idStem: "cve-007",
    finding: { source: "semgrep", severity: "medium", description: "reflected XSS in search results", repo: "web-monorepo" },
  },
  {
    key: "exhausted",
    title: "Bug in a vendored shared library",
    expect: "No agent can fix it inside the repository: every rung is rejected and the run escalates to manual handling.",
    idStem: "cve-008",
    finding: {
      source: "dependabot",
      severity: "medium",
      description: "prototype pollution in the vendored shared library",
      repo: "billing-api",
    },
  },
];

export function freshFindingId(stem: string): string {
  const bytes = new Uint8Array(3);
  crypto.getRandomValues(bytes);
  const suffix = Array.from(bytes, (byte) => byte.toString(36).padStart(2, "0")).join("").slice(0, 5);
  return `${stem}-${suffix}`;
}
