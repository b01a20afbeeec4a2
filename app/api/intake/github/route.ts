// POST /api/intake/github – GitHub's code-scanning, Dependabot and secret-scanning alert webhooks, signed with
// GITHUB_WEBHOOK_SECRET (X-Hub-Signature-256); each created or reopened alert starts its run, once
import { GithubIgnoredSchema, type GithubIgnored, type IntakeResponse } from "@/lib/api/contracts";
import { alertIntake, deliveryOf, DeliveryRefusal, signatureMatches } from "@/lib/intake/github-alerts";
import { serverEnv } from "@/lib/server/env";
import { ApiRouteError, conflict } from "@/lib/server/errors";
import { GITHUB_SUBMITTER, startIntakeRuns } from "@/lib/server/intake";
import { webhookDelivery } from "@/lib/server/restate-ingress";
import { otherMethods, publicRoute, readBodyBytes, type Reply } from "@/lib/server/route";

const NAME = "POST /api/intake/github";
/** GitHub's alert deliveries are a few KiB; this leaves room for large advisories. */
const MAX_DELIVERY_BYTES = 1024 * 1024;

/** Logs a refused delivery (never its body nor the secret) and gives the error to answer with. */
function refused(error: ApiRouteError, delivery: string): ApiRouteError {
  // 401 and 403 are logged by the route wrapper; the rest here.
  if (error.status !== 401) console.warn(`[${NAME}] refused (${error.status}) delivery ${delivery}: ${error.message}`);
  return error;
}

export const POST = publicRoute({ name: NAME }, async ({ request }): Promise<Reply<IntakeResponse | GithubIgnored>> => {
  const env = serverEnv();
  const secret = env.GITHUB_WEBHOOK_SECRET;
  if (!secret) throw new ApiRouteError("not_found", "The GitHub intake is off: set GITHUB_WEBHOOK_SECRET (or GITHUB_WEBHOOK_SECRET_FILE) to turn it on.");
  // For the log only, and only when it looks like an id: a header is the sender's text.
  const header = request.headers.get("x-github-delivery") ?? "";
  const claimed = /^[A-Za-z0-9-]{1,64}$/.test(header) ? header : "(none or malformed)";
  const body = await readBodyBytes(request, MAX_DELIVERY_BYTES).catch((error: unknown) => {
    throw error instanceof ApiRouteError ? refused(error, claimed) : error;
  });
  // The signature first: nothing a forger sent is read before it checks out.
  if (!signatureMatches(secret, body, request.headers.get("x-hub-signature-256"))) {
    throw new ApiRouteError("unauthorized", `The delivery's X-Hub-Signature-256 is missing or does not match its body (delivery ${claimed}).`);
  }

  let intake;
  let delivery;
  try {
    delivery = deliveryOf(request.headers);
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString("utf8"));
    } catch {
      throw new DeliveryRefusal("Malformed delivery: the body is not JSON.", { $: "not JSON" }, "malformed");
    }
    intake = alertIntake(delivery.event, payload, { now: Date.now(), maxAgeMs: env.GITHUB_WEBHOOK_MAX_AGE_HOURS * 3600_000 });
  } catch (error) {
    if (error instanceof DeliveryRefusal) throw refused(new ApiRouteError("bad_request", error.message, error.problems), claimed);
    throw error;
  }

  // Every console process asks the same object, so a delivery is taken once however it is replayed.
  const deliveries = webhookDelivery(`github-${delivery.deliveryId}`);
  if (!(await deliveries.claim({ rememberForMs: env.GITHUB_WEBHOOK_MAX_AGE_HOURS * 3600_000 }))) {
    throw refused(conflict(`Delivery ${delivery.deliveryId} was received before; a replayed delivery starts nothing.`), delivery.deliveryId);
  }
  if (intake.kind === "ignored") {
    return {
      status: 202,
      json: GithubIgnoredSchema.parse({ delivery: delivery.deliveryId, event: delivery.event, ignored: intake.reason }) satisfies GithubIgnored,
    };
  }
  try {
    const runs = await startIntakeRuns([intake], GITHUB_SUBMITTER);
    return { status: runs.started.length > 0 ? 202 : 200, json: { ...runs, skipped: [] } satisfies IntakeResponse };
  } catch (error) {
    // Not handled: give the delivery back, so GitHub's redelivery (same id) is taken.
    await Promise.resolve(deliveries.release()).catch((cause: unknown) => console.warn(`[${NAME}] could not release delivery ${delivery.deliveryId}`, cause));
    throw error;
  }
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
