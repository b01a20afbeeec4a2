// The services endpoint: `npm run app` serves RemediationWorkflow and subAgents on 127.0.0.1:9080.
import "./sdk-log-level"; // first: it sets the SDK's log level before the SDK is loaded
import { renameSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { prepareAdapters } from "./adapters/index";
import { subAgents } from "./agents/sub-agents";
import { config } from "./config";
import { pullRequests } from "./console/pull-requests";
import { consoleSessions } from "./console/sessions";
import { webhookDeliveries } from "./console/webhook-deliveries";
import { ticketsAndOutbox } from "./console/tickets-and-outbox";
import { checkRecordSigningKey } from "./identity/services-signer";
import { CODE_REVISION } from "./identity/workload-identity";
import { integrations } from "./integrations/integrations-service";
import { PolicyFileError } from "./policy/policy-file";
import { activePolicy, signoffPolicyService } from "./policy/policy-service";
import { remediationWorkflow } from "./workflow/remediation-workflow";
import { runIndex } from "./console/run-index";
import { runIndexFeed } from "./console/run-index-feed";
import { signoffAttempts } from "./workflow/signoff-attempts";

checkRecordSigningKey();
try {
  const policy = activePolicy();
  console.log(`sign-off policy: ${policy.source} (${policy.policy.rules.length} rules, ${policy.version})`);
} catch (error) {
  if (!(error instanceof PolicyFileError)) throw error;
  console.error(error.message);
  process.exit(1);
}
await prepareAdapters();
const identityKeys = config.RESTATE_IDENTITY_KEYS?.split(",")
  .map((key) => key.trim())
  .filter(Boolean);

const endpoint = restate
  .endpoint()
  .bind(remediationWorkflow)
  .bind(subAgents)
  .bind(signoffAttempts)
  .bind(consoleSessions)
  .bind(integrations)
  .bind(webhookDeliveries)
  .bind(ticketsAndOutbox)
  .bind(pullRequests)
  .bind(signoffPolicyService)
  .bind(runIndex)
  .bind(runIndexFeed);
if (identityKeys?.length) endpoint.withIdentityV1(...identityKeys);

const server = http2.createServer(endpoint.http2Handler());
server.listen(config.SERVICES_PORT, config.SERVICES_HOST, () => {
  console.log(`services listening on http://${config.SERVICES_HOST}:${config.SERVICES_PORT} (code ${CODE_REVISION})`);
});

// What runs cost us in memory, for the benchmark: garbage is collected first, so the heap figure is
// what is still referenced, not what the collector has not got round to yet.
const heapReport = config.SERVICES_HEAP_REPORT;
if (heapReport) {
  process.on("SIGUSR2", () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    writeFileSync(`${heapReport}.tmp`, JSON.stringify({ at: Date.now(), collected: gc !== undefined, ...process.memoryUsage() }));
    renameSync(`${heapReport}.tmp`, heapReport);
  });
}

// Open HTTP/2 streams would hold close() forever: give in-flight requests a moment, then leave.
const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1500).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
