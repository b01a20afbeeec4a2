// The eval store as Langfuse (EVAL_STORE=langfuse), through its public ingestion API
// (POST /api/public/ingestion, basic auth with the public and secret keys) over plain fetch: one
// trace per run (the finding in, the plans, outcome and decision out) with a score per verdict and
// one for the human decision. Every id derives from the idempotency key, and Langfuse drops an event
// whose id it has seen, so a retried export adds nothing.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { EvalRecord } from "../../contracts/schemas";
import type { ApiKey } from "../../models/model-config";
import { endpointSetting, millisecondsSetting, secretSetting, AdapterConfigError } from "../adapter-settings";
import { deliver, redact } from "../http-delivery";
import { PermanentAdapterError, type EvalStore } from "../ports";

export interface LangfuseSettings {
  baseUrl: URL;
  publicKey: string;
  secretKey: ApiKey;
  timeoutMs: number;
}

/** Throws an AdapterConfigError naming the bad variable. */
export function readLangfuseSettings(env: Record<string, string | undefined> = process.env): LangfuseSettings {
  const publicKey = env.LANGFUSE_PUBLIC_KEY?.trim();
  if (!publicKey) throw new AdapterConfigError("LANGFUSE_PUBLIC_KEY: required with EVAL_STORE=langfuse (pk-lf-…, from the project's settings)");
  return {
    baseUrl: endpointSetting({ LANGFUSE_BASE_URL: "https://cloud.langfuse.com", ...env }, "LANGFUSE_BASE_URL", "with EVAL_STORE=langfuse"),
    publicKey,
    secretKey: secretSetting(env, "LANGFUSE_SECRET_KEY", "with EVAL_STORE=langfuse"),
    timeoutMs: millisecondsSetting(env, "LANGFUSE_TIMEOUT_MS", 10_000),
  };
}

interface IngestionEvent {
  id: string;
  type: "trace-create" | "score-create";
  timestamp: string;
  body: Record<string, unknown>;
}

/** The run as Langfuse events, every id derived from the trace id. */
export function ingestionBatch(traceId: string, record: EvalRecord, timestamp: string): IngestionEvent[] {
  const { identity, finding, attempts, verdicts, plans, outcome, decision, usage } = record;
  const events: IngestionEvent[] = [
    {
      id: `${traceId}-trace`,
      type: "trace-create",
      timestamp,
      body: {
        id: traceId,
        name: "remediation-run",
        timestamp: identity.recordedAt,
        input: { finding },
        output: { outcome, plans, decision },
        metadata: { ...identity, attempts, ...(usage ? { usage } : {}) },
        release: identity.codeRevision,
        version: identity.promptVersion,
        tags: [finding.severity, outcome],
      },
    },
    ...verdicts.map((verdict, index): IngestionEvent => ({
      id: `${traceId}-verdict-${index + 1}`,
      type: "score-create",
      timestamp,
      body: {
        id: `${traceId}-verdict-${index + 1}`,
        traceId,
        name: `judge:${verdict.agent}`,
        value: verdict.score,
        dataType: "NUMERIC",
        comment: `${verdict.approved ? "approved" : "rejected"}: ${verdict.reason}`,
      },
    })),
  ];
  const last = decision?.approvals.at(-1);
  if (decision && last) {
    events.push({
      id: `${traceId}-decision`,
      type: "score-create",
      timestamp,
      body: {
        id: `${traceId}-decision`,
        traceId,
        name: "human-decision",
        value: last.approved ? 1 : 0,
        dataType: "BOOLEAN",
        comment: decision.approvals
          .map((approval) => `${approval.approver} ${approval.approved ? "approved" : "rejected"}${approval.comment ? `: ${approval.comment}` : ""}`)
          .join("; "),
      },
    });
  }
  return events;
}

const IngestionResultSchema = z.object({
  successes: z.array(z.object({ id: z.string(), status: z.number() })),
  errors: z.array(z.object({ id: z.string(), status: z.number(), message: z.string().optional(), error: z.unknown().optional() })),
});

export function langfuseEvalStore(settings: LangfuseSettings, now = () => new Date()): EvalStore {
  const secrets = [settings.secretKey.reveal()];
  return {
    async exportEval({ idempotencyKey, record }) {
      const traceId = createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32);
      const { status, text } = await deliver({
        system: "Langfuse",
        url: new URL("api/public/ingestion", settings.baseUrl.href.endsWith("/") ? settings.baseUrl : `${settings.baseUrl.href}/`).href,
        headers: {
          authorization: `Basic ${Buffer.from(`${settings.publicKey}:${settings.secretKey.reveal()}`).toString("base64")}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ batch: ingestionBatch(traceId, record, now().toISOString()) }),
        timeoutMs: settings.timeoutMs,
        secrets,
        credentialsHint: "LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY",
      });
      let result: z.infer<typeof IngestionResultSchema>;
      try {
        result = IngestionResultSchema.parse(JSON.parse(text));
      } catch {
        // Sent, but no word on which events landed: sending the batch again is safe (ids repeat).
        throw new Error(`Langfuse answered ${status} with something that is not an ingestion result: ${redact(text.slice(0, 120), secrets)}`);
      }
      const failed = result.errors;
      if (failed.length) {
        const said = redact(failed.map((error) => `${error.id} ${error.status}${error.message ? ` ${error.message}` : ""}`).join("; "), secrets);
        if (failed.some((error) => error.status === 429 || error.status >= 500)) throw new Error(`Langfuse could not take every event yet: ${said}`);
        throw new PermanentAdapterError(`Langfuse refused events: ${said}`);
      }
      return { system: "langfuse", id: traceId };
    },
  };
}
