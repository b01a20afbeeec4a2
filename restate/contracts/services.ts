// The services' names, as both sides spell them: the services register under these, the console's
// typed ingress client and the admin-SQL queries address them by the same constants.
export const SERVICE_NAMES = {
  remediationWorkflow: "RemediationWorkflow",
  subAgents: "subAgents",
  signoffAttempts: "SignoffAttempts",
  consoleSessions: "ConsoleSessions",
  integrations: "Integrations",
  pullRequests: "PullRequests",
  webhookDeliveries: "WebhookDeliveries",
  ticketsAndOutbox: "TicketsAndOutbox",
  runIndex: "RunIndex",
  runIndexFeed: "RunIndexFeed",
  signoffPolicy: "SignoffPolicy",
} as const;

export type ServiceName = (typeof SERVICE_NAMES)[keyof typeof SERVICE_NAMES];
