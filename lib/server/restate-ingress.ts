// The typed ingress client: built once from the settings, typed by the services' exported types
// (types only: nothing of the services' runtime is loaded into the console).
import "server-only";
import * as clients from "@restatedev/restate-sdk-clients";
import type { ConsoleSessions, Integrations, PullRequests, RemediationWorkflow, SignoffPolicyService, WebhookDeliveries } from "@/restate";
import { SERVICE_NAMES } from "@/restate/contracts/services";
import { onServerEnvReset, serverEnv } from "./env";
import { keepAliveFetch } from "./ingress-transport";

let ingress: clients.Ingress | undefined;
onServerEnvReset(() => (ingress = undefined));

export function restateIngress(): clients.Ingress {
  if (!ingress) {
    const env = serverEnv();
    // No automatic retries: the browser's request is waiting, and a 503 tells the operator more.
    // Every call is bounded: a hung Restate becomes a 503 instead of a request that never answers.
    ingress = clients.connect({
      url: env.RESTATE_INGRESS,
      headers: env.RESTATE_INGRESS_HEADERS,
      fetch: keepAliveFetch(env.RESTATE_TIMEOUT_MS),
    });
  }
  return ingress;
}

/** The remediation run of one finding: workflowSubmit, status, approve. */
export function remediationRun(findingId: string) {
  return restateIngress().workflowClient<RemediationWorkflow>({ name: SERVICE_NAMES.remediationWorkflow }, findingId);
}

/** One operator's open sign-in sessions (restate/console/sessions.ts): register, end, isActive. */
export function operatorSessions(username: string) {
  return restateIngress().objectClient<ConsoleSessions>({ name: SERVICE_NAMES.consoleSessions }, username);
}

/** The embedded code host's pull-request records (restate/console/pull-requests.ts): list. */
export function pullRequestRecords() {
  return restateIngress().serviceClient<PullRequests>({ name: SERVICE_NAMES.pullRequests });
}

/** The services' view of their adapters (restate/integrations): overview, testConnection. */
export function integrationsService() {
  return restateIngress().serviceClient<Integrations>({ name: SERVICE_NAMES.integrations });
}

/** The sign-off policy the services gate with (restate/policy/policy-service.ts): effective. */
export function signoffPolicy() {
  return restateIngress().serviceClient<SignoffPolicyService>({ name: SERVICE_NAMES.signoffPolicy });
}

/** A webhook delivery, by id, as every console process sees it (restate/console/webhook-deliveries.ts): claim, release. */
export function webhookDelivery(key: string) {
  return restateIngress().objectClient<WebhookDeliveries>({ name: SERVICE_NAMES.webhookDeliveries }, key);
}
