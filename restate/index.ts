// What the console imports from the services: types for the typed ingress client, and the shapes.
export type { RemediationWorkflow } from "./workflow/remediation-workflow";
export type { SubAgents } from "./agents/sub-agents";
export type { ConsoleSessions } from "./console/sessions";
export type { PullRequests } from "./console/pull-requests";
export type { WebhookDeliveries } from "./console/webhook-deliveries";
export type { TicketsAndOutboxService } from "./console/tickets-and-outbox";
export type { RunIndex } from "./console/run-index";
export type { SignoffPolicyService } from "./policy/policy-service";
export * from "./contracts/schemas";
export type { Integrations } from "./integrations/integrations-service";
