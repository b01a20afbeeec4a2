// The words of a gate's reminder and escalation, the same in every chat: which run, how long is left
// (counted from when the message was due, so a retry says the same), who may decide, and the run's page.
import { formatTimeLeft } from "../contracts/gate-deadline";
import type { ApproverReminder } from "./ports";

/** The chat channel the embedded chat and the webhook label these messages with. */
export const APPROVERS_CHANNEL = "#sec-approvals";

export function approverReminderText(reminder: ApproverReminder): string {
  const { finding, kind, runUrl } = reminder;
  const at = Date.parse(reminder.at);
  const run = `${finding.id} (${finding.severity}, ${finding.repo})`;
  const link = runUrl ? ` ${runUrl}` : "";
  if (kind === "escalation") {
    const expiresIn = formatTimeLeft(Date.parse(reminder.finalDueAt) - at);
    return `Escalated to ${reminder.escalateTo.join(", ")}: ${run} passed its sign-off deadline undecided. It expires in ${expiresIn} (${reminder.finalDueAt}) unless someone decides; nothing runs without a decision.${link}`;
  }
  const left = formatTimeLeft(Date.parse(reminder.dueAt) - at);
  const who = reminder.approverGroups?.length ? ` (${reminder.approverGroups.join(", ")})` : "";
  return `Reminder${who}: ${run} waits for sign-off, ${left} left until its deadline (${reminder.dueAt}).${link}`;
}
