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
import { PermanentAdapterError, type ConnectionCheck, type EvalStore } from "../ports";

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
  // An expired gate was never decided, whatever part of its approvals came in.
  if (decision && last && outcome !== "expired") {
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

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const ProjectsSchema = z.object({ data: z.array(z.object({ name: z.string() })) });

export function langfuseEvalStore(settings: LangfuseSettings, now = () => new Date()): EvalStore & ConnectionCheck {
  const secrets = [settings.secretKey.reveal()];
  const endpoint = (path: string) => new URL(path, settings.baseUrl.href.endsWith("/") ? settings.baseUrl : `${settings.baseUrl.href}/`).href;
  const authorization = () => `Basic ${Buffer.from(`${settings.publicKey}:${settings.secretKey.reveal()}`).toString("base64")}`;
  return {
    /** The Integrations page's test: the keys' project, read with the same credentials (nothing is written). */
    async checkConnection() {
      const { text } = await deliver({
        system: "Langfuse",
        method: "GET",
        url: endpoint("api/public/projects"),
        headers: { authorization: authorization(), accept: "application/json" },
        timeoutMs: settings.timeoutMs,
        secrets,
        credentialsHint: "LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY",
      });
      const projects = ProjectsSchema.safeParse(jsonOrNull(text));
      if (!projects.success) throw new Error(`Langfuse answered with something that is not its project list: ${redact(text.slice(0, 120), secrets)}`);
      return `signed in to Langfuse at ${settings.baseUrl.host}, project ${projects.data.data.map((project) => `"${project.name}"`).join(", ") || "(none)"}`;
    },
    async exportEval({ idempotencyKey, record }) {
      const traceId = createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32);
      const { status, text } = await deliver({
        system: "Langfuse",
        url: endpoint("api/public/ingestion"),
        headers: { authorization: authorization(), "content-type": "application/json" },
        body: JSON.stringify({ batch: ingestionBatch(traceId, record, now().toISOString()) }),
        timeoutMs: settings.timeoutMs,
        secrets,
        credentialsHint: "LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY",
      });
      const parsed = IngestionResultSchema.safeParse(jsonOrNull(text));
      // Sent, but no word on which events landed: sending the batch again is safe (ids repeat).
      if (!parsed.success)
        throw new Error(`Langfuse answered ${status} with something that is not an ingestion result: ${redact(text.slice(0, 120), secrets)}`);
      const result = parsed.data;
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
