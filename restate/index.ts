// What the console imports from the services: types for the typed ingress client, and the shapes.
export type { RemediationWorkflow } from "./workflow/remediation-workflow";
export type { SubAgents } from "./agents/sub-agents";
export type { ConsoleSessions } from "./console/sessions";
export type { WebhookDeliveries } from "./console/webhook-deliveries";
export * from "./contracts/schemas";
export type { Integrations } from "./integrations/integrations-service";
