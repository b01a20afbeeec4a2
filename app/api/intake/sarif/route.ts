// POST /api/intake/sarif – a SARIF 2.1.0 log from any scanner: a run per open result, once per result (?repo=owner/name)
import { z } from "zod";
import { FindingSchema, type IntakeResponse } from "@/lib/api/contracts";
import { findingsFromSarif, SarifRefusal } from "@/lib/intake/sarif";
import { serverEnv } from "@/lib/server/env";
import { ApiRouteError } from "@/lib/server/errors";
import { startIntakeRuns } from "@/lib/server/intake";
import { otherMethods, readBodyText, route } from "@/lib/server/route";

const SarifQuerySchema = z.object({
  /** The repository the scan is of; else each run's versionControlProvenance names it. */
  repo: FindingSchema.shape.repo.optional(),
});

async function sarifDocument(request: Request): Promise<unknown> {
  const text = await readBodyText(request, serverEnv().SARIF_MAX_BYTES).catch((error: unknown) => {
    if (error instanceof ApiRouteError && error.code === "payload_too_large") {
      throw new ApiRouteError("payload_too_large", `${error.message.replace(/\.$/, "")}: the limit is SARIF_MAX_BYTES.`);
    }
    throw error;
  });
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiRouteError("bad_request", "The body is not JSON: send a SARIF 2.1.0 log as the request body.", { $: "not JSON" });
  }
}

export const POST = route({ name: "POST /api/intake/sarif", access: "submit", query: SarifQuerySchema }, async ({ request, operator, query }) => {
  const document = await sarifDocument(request);
  let intake;
  try {
    intake = findingsFromSarif(document, { maxResults: serverEnv().SARIF_MAX_RESULTS, ...(query.repo ? { repo: query.repo } : {}) });
  } catch (error) {
    if (error instanceof SarifRefusal) throw new ApiRouteError("bad_request", error.message, error.problems);
    throw error;
  }
  const runs = await startIntakeRuns(intake.findings, operator.username);
  return { status: runs.started.length > 0 ? 202 : 200, json: { ...runs, skipped: intake.skipped } satisfies IntakeResponse };
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
