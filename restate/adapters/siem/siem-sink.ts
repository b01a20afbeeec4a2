// The audit sink as a SIEM's HTTP collector (AUDIT_SINK=siem): each audit record POSTed to SIEM_URL
// as JSON or as a CEF line (SIEM_FORMAT), with a bearer token and the idempotency key in a header, so
// a collector that deduplicates keeps one event per run. Retries are callAdapter's (http-delivery.ts).
import type { AuditSink, ConnectionCheck } from "../ports";
import type { ApiKey } from "../../models/model-config";
import { choiceSetting, endpointSetting, millisecondsSetting, secretSetting } from "../adapter-settings";
import { deliver } from "../http-delivery";
import { cefLine } from "./cef";

export const SIEM_FORMATS = ["json", "cef"] as const;

export interface SiemSettings {
  url: URL;
  format: (typeof SIEM_FORMATS)[number];
  token: ApiKey;
  timeoutMs: number;
}

/** Throws an AdapterConfigError naming the bad variable. */
export function readSiemSettings(env: Record<string, string | undefined> = process.env): SiemSettings {
  return {
    url: endpointSetting(env, "SIEM_URL", "with AUDIT_SINK=siem (the collector's https URL)"),
    format: choiceSetting(env, "SIEM_FORMAT", SIEM_FORMATS, "json"),
    token: secretSetting(env, "SIEM_TOKEN", "with AUDIT_SINK=siem"),
    timeoutMs: millisecondsSetting(env, "SIEM_TIMEOUT_MS", 10_000),
  };
}

export function siemAuditSink(settings: SiemSettings): AuditSink & ConnectionCheck {
  return {
    /**
     * The Integrations page's test, without sending an event (it would sit in the SIEM beside the real
     * ones): a GET to the collector with the token. Any answer but 401/403 shows the URL, TLS and token work.
     */
    async checkConnection() {
      let status: number;
      try {
        const response = await fetch(settings.url.href, {
          headers: { authorization: `Bearer ${settings.token.reveal()}` },
          signal: AbortSignal.timeout(settings.timeoutMs),
          redirect: "manual",
        });
        status = response.status;
        await response.body?.cancel();
      } catch (error) {
        throw new Error(`the SIEM at ${settings.url.host} could not be reached (${error instanceof Error ? error.name : "error"})`);
      }
      if (status === 401 || status === 403) throw new Error(`the SIEM at ${settings.url.host} refused the token (${status}): check SIEM_TOKEN`);
      return `reached the SIEM at ${settings.url.host} (a GET answered ${status}; the token was not refused)`;
    },
    async exportAuditRecord({ idempotencyKey, findingId, record }) {
      const body =
        settings.format === "cef" ? cefLine(record, idempotencyKey) : JSON.stringify({ kind: "remediation-audit-record", idempotencyKey, findingId, record });
      await deliver({
        system: "the SIEM",
        url: settings.url.href,
        headers: {
          authorization: `Bearer ${settings.token.reveal()}`,
          "content-type": settings.format === "cef" ? "text/plain; charset=utf-8" : "application/json",
          "idempotency-key": idempotencyKey,
        },
        body,
        timeoutMs: settings.timeoutMs,
        secrets: [settings.token.reveal()],
        credentialsHint: "SIEM_TOKEN",
      });
      return { system: "siem", id: idempotencyKey };
    },
  };
}
