// The run page's cards, in one chunk of their own: they show only once the run has arrived, so the page
// loads them beside its first request for the run instead of with its first load.
export { ApprovalGate } from "./approval-gate";
export { AttemptLadder } from "./attempt-ladder";
export { CancelRun } from "./cancel-run";
export { IdentityCard } from "./identity-card";
export { IntegrityNotice } from "./integrity-notice";
export { JournalSection } from "./journal-section";
export { PlanComparison } from "./plan-comparison";
export { PullRequestCard } from "./pull-request-card";
export { SideEffectsCard } from "./side-effects-card";
