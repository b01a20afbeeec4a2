// The policy rule that decided a gate: its name and why it matched, how many approvers from which groups,
// and the deadline it set. The run page's gate shows it above the reasons; the countdown lives elsewhere.
import type { SignoffDecision } from "@/restate/contracts/schemas";
import { formatDuration } from "./time-format";
import { DetailsList } from "./ui/details-list";
import { approversText } from "@/lib/policy-words";

export function GateRule({ signoff }: { signoff: SignoffDecision }) {
  const { rule, approverGroups, deadline } = signoff;
  if (!rule) return null;
  const items = [
    {
      label: "Rule",
      value: (
        <span>
          <code className="font-mono text-xs" data-testid="gate-rule-name">
            {rule.name}
          </code>
          {rule.policyVersion === "default" ? <span className="text-slate-500"> (built-in policy)</span> : null}
        </span>
      ),
    },
    {
      label: "Because",
      value: (
        <ul className="list-disc space-y-0.5 pl-5" data-testid="gate-rule-because">
          {rule.because.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ),
    },
  ];
  if (signoff.required) {
    items.push({ label: "Approvals", value: <span data-testid="gate-rule-approvals">{approversText(signoff.approvalsRequired)}</span> });
    items.push({
      label: "May approve",
      value: (
        <span data-testid="gate-rule-groups">
          {approverGroups?.length ? `members of ${approverGroups.join(", ")}` : "any approver"}
          {deadline?.escalateTo.length ? `; after the deadline also ${deadline.escalateTo.join(", ")}` : ""}
        </span>
      ),
    });
  }
  if (deadline) {
    items.push({
      label: "Deadline",
      value: (
        <span data-testid="gate-rule-deadline">
          {formatDuration(deadline.withinMs)} after the gate opened
          {deadline.escalateTo.length ? `, then ${formatDuration(deadline.graceMs)} for ${deadline.escalateTo.join(", ")}` : ""}; the run expires unapproved
          after that
        </span>
      ),
    });
  }
  return (
    <section aria-label="Policy rule" data-testid="gate-rule">
      <DetailsList items={items} />
    </section>
  );
}
