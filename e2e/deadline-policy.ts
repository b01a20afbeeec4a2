// The browser journeys' sign-off policy: the built-in rules, after three that give a deadline to findings
// whose repository says so (one long, one that passes within seconds and escalates), for the inbox's countdown.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../scripts/stack";
import { DEFAULT_POLICY_TEXT } from "../restate/policy/policy-file";

export const DEADLINE_REPOS = { later: "e2e-deadline-later", soon: "e2e-deadline-soon", overdue: "e2e-deadline-overdue" } as const;

const DEADLINE_RULES = `  - name: e2e-deadline-later
    when: { repo: "^${DEADLINE_REPOS.later}$" }
    approvals: 1
    deadline: { within: 3h, remindAt: ["50%"] }
  - name: e2e-deadline-soon
    when: { repo: "^${DEADLINE_REPOS.soon}$" }
    approvals: 1
    deadline: { within: 2h, remindAt: ["50%"] }
  - name: e2e-deadline-overdue
    when: { repo: "^${DEADLINE_REPOS.overdue}$" }
    approvals: 1
    deadline: { within: 5s, remindAt: ["50%"], escalateTo: [security-leads], grace: 1h }
`;

/** Writes the policy under test-results and returns its path, for SIGNOFF_POLICY_FILE. */
export function writeJourneyPolicy(): string {
  const dir = join(projectRoot, "test-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "e2e-signoff-policy.yaml");
  writeFileSync(file, DEFAULT_POLICY_TEXT.replace("\nrules:\n", `\nrules:\n${DEADLINE_RULES}`));
  return file;
}
