// GitHub's alert webhooks (code scanning, Dependabot, secret scanning) → findings: the delivery's
// signature, its headers, and the alert read into a finding whose id names the repository, the kind of
// alert and its number, so the same alert delivered again is the same finding.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Finding, Severity } from "@/restate/contracts/schemas";
import { cleanText, DESCRIPTION_MAX, digest, findingId, isRepoName, oneLine, slug, SOURCE_MAX } from "./finding-text";
import { jsonPath } from "./sarif";

/** The alert events read here, and the short name each gives its findings' ids. */
export const ALERT_EVENTS = {
  code_scanning_alert: "code",
  dependabot_alert: "dependabot",
  secret_scanning_alert: "secret",
} as const;
export type AlertEvent = keyof typeof ALERT_EVENTS;

/** The actions that mean "there is a problem now"; every other one (fixed, dismissed, resolved...) starts nothing. */
const ACTED_ON = ["created", "reopened"];

/**
 * Whether `header` (X-Hub-Signature-256: "sha256=<hex>") is the HMAC-SHA256 of exactly these bytes under
 * the secret. The comparison takes the same time wherever the first difference is.
 */
export function signatureMatches(secret: string, body: Uint8Array, header: string | null): boolean {
  const presented = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "")?.[1];
  if (!presented) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(presented, "hex"));
}

/** A delivery refused for what it carries (not for its signature): `problems` by header or JSON path. */
export class DeliveryRefusal extends Error {
  override name = "DeliveryRefusal";
  constructor(
    message: string,
    readonly problems: Record<string, string>,
    readonly reason: "malformed" | "stale",
  ) {
    super(message);
  }
}

const DeliveryHeaders = z.object({
  "x-github-event": z.string({ error: "is required" }).regex(/^[a-z_]{1,64}$/, "is not a GitHub event name"),
  /** A GUID; GitHub sends the same one again when a delivery is redelivered. */
  "x-github-delivery": z.string({ error: "is required" }).regex(/^[A-Za-z0-9-]{8,64}$/, "is not a delivery id"),
});

export interface Delivery {
  event: string;
  deliveryId: string;
}

/** The event and delivery id from the headers; throws DeliveryRefusal naming a missing or malformed header. */
export function deliveryOf(headers: Headers): Delivery {
  const parsed = DeliveryHeaders.safeParse({
    "x-github-event": headers.get("x-github-event") ?? undefined,
    "x-github-delivery": headers.get("x-github-delivery") ?? undefined,
  });
  if (!parsed.success) {
    const problems = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
    throw new DeliveryRefusal(`Malformed delivery: ${describe(problems)}`, problems, "malformed");
  }
  return { event: parsed.data["x-github-event"], deliveryId: parsed.data["x-github-delivery"] };
}

const describe = (problems: Record<string, string>) =>
  Object.entries(problems)
    .map(([where, problem]) => `${where} ${problem}`)
    .join("; ");

const Timestamp = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" });
const Repository = z.looseObject({
  full_name: z.string({ error: "is required" }).refine(isRepoName, "is not a repository name the console accepts"),
});
const AlertBase = {
  number: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .positive("must be positive")
    .max(2 ** 31 - 1, "is too large"),
  created_at: Timestamp,
  updated_at: Timestamp.nullish(),
  html_url: z.string({ error: "must be a string" }).optional(),
};

const CodeScanningAlert = z.looseObject({
  ...AlertBase,
  rule: z.looseObject({
    id: z.string({ error: "is required" }).min(1),
    name: z.string().nullish(),
    description: z.string().nullish(),
    severity: z.string().nullish(),
    security_severity_level: z.string().nullish(),
  }),
  tool: z.looseObject({ name: z.string({ error: "is required" }).min(1) }),
  most_recent_instance: z
    .looseObject({
      message: z.looseObject({ text: z.string().nullish() }).nullish(),
      location: z.looseObject({ path: z.string().nullish(), start_line: z.number().int().nullish() }).nullish(),
    })
    .nullish(),
});

const DependabotAlert = z.looseObject({
  ...AlertBase,
  dependency: z.looseObject({
    package: z.looseObject({ ecosystem: z.string({ error: "is required" }), name: z.string({ error: "is required" }) }),
    manifest_path: z.string().nullish(),
  }),
  security_advisory: z.looseObject({
    ghsa_id: z.string({ error: "is required" }),
    cve_id: z.string().nullish(),
    summary: z.string({ error: "is required" }),
    severity: z.string().nullish(),
  }),
  security_vulnerability: z
    .looseObject({
      severity: z.string().nullish(),
      vulnerable_version_range: z.string().nullish(),
      first_patched_version: z.looseObject({ identifier: z.string() }).nullish(),
    })
    .nullish(),
});

// The secret itself is never read: only its type and where to see the alert.
const SecretScanningAlert = z.looseObject({
  ...AlertBase,
  secret_type: z.string({ error: "is required" }).min(1),
  secret_type_display_name: z.string().nullish(),
  validity: z.string().nullish(),
});

const payloadOf = <T extends z.ZodType>(alert: T) =>
  z.looseObject({ action: z.string({ error: "is required" }), alert, repository: Repository }, { error: "a delivery is a JSON object" });

const PAYLOADS = {
  code_scanning_alert: payloadOf(CodeScanningAlert),
  dependabot_alert: payloadOf(DependabotAlert),
  secret_scanning_alert: payloadOf(SecretScanningAlert),
};

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: "critical",
  high: "high",
  moderate: "medium",
  medium: "medium",
  low: "low",
  error: "high",
  warning: "medium",
  note: "low",
};
const severityWord = (...words: (string | null | undefined)[]): Severity | undefined =>
  words.map((word) => (word ? SEVERITY_WORDS[word.toLowerCase()] : undefined)).find(Boolean);

export type AlertIntake = { kind: "finding"; finding: Finding; title: string } | { kind: "ignored"; reason: string };

export interface AlertOptions {
  /** Now, in epoch ms. */
  now: number;
  /** An event older than this (by the alert's own time) is stale. */
  maxAgeMs: number;
}

/**
 * What a delivery asks for: a finding (a created or reopened alert), or nothing, with the reason.
 * Throws DeliveryRefusal for a payload that is not such an alert (by JSON path) or an event that is stale.
 */
export function alertIntake(event: string, payload: unknown, options: AlertOptions): AlertIntake {
  if (event === "ping") return { kind: "ignored", reason: "ping: the webhook reaches the console" };
  if (!(event in PAYLOADS)) return { kind: "ignored", reason: `the "${event}" event is not read here (only ${Object.keys(PAYLOADS).join(", ")})` };
  const alertEvent = event as AlertEvent;
  const parsed = PAYLOADS[alertEvent].safeParse(payload);
  if (!parsed.success) {
    const problems: Record<string, string> = {};
    for (const issue of parsed.error.issues) problems[jsonPath(issue.path)] ??= issue.message;
    throw new DeliveryRefusal(`Malformed ${event} delivery: ${describe(problems)}`, problems, "malformed");
  }
  const { action, alert, repository } = parsed.data;
  if (!ACTED_ON.includes(action)) return { kind: "ignored", reason: `action "${action}" starts nothing (only ${ACTED_ON.join(" and ")} do)` };

  // The delivery carries no time of its own: the alert's tells how old the event is (a reopening, its update).
  const happenedAt = action === "created" ? alert.created_at : alert.updated_at;
  if (happenedAt && options.now - Date.parse(happenedAt) > options.maxAgeMs) {
    const problems = { [action === "created" ? "$.alert.created_at" : "$.alert.updated_at"]: `${happenedAt} is older than the replay window` };
    throw new DeliveryRefusal(`Stale ${event} delivery: the alert's event happened at ${happenedAt}, before the replay window.`, problems, "stale");
  }

  const repo = repository.full_name;
  const kind = ALERT_EVENTS[alertEvent];
  const described =
    alertEvent === "code_scanning_alert"
      ? codeScanning(parsed.data.alert as z.infer<typeof CodeScanningAlert>)
      : alertEvent === "dependabot_alert"
        ? dependabot(parsed.data.alert as z.infer<typeof DependabotAlert>)
        : secretScanning(parsed.data.alert as z.infer<typeof SecretScanningAlert>);
  const lines = [described.title, ...described.details, `GitHub ${kind} alert #${alert.number} in ${repo}${action === "reopened" ? " (reopened)" : ""}.`];
  if (alert.html_url) lines.push(alert.html_url);
  return {
    kind: "finding",
    title: described.title,
    finding: {
      id: findingId(`gh-${slug(repo, 30) || "repo"}-${kind}-${alert.number}`, digest(["github", repo], 6)),
      source: oneLine(described.source, SOURCE_MAX),
      severity: described.severity,
      description: cleanText(lines.join("\n"), DESCRIPTION_MAX),
      repo,
    },
  };
}

interface Described {
  title: string;
  source: string;
  severity: Severity;
  details: string[];
}

function codeScanning(alert: z.infer<typeof CodeScanningAlert>): Described {
  const instance = alert.most_recent_instance;
  const where = instance?.location?.path ? `At ${instance.location.path}${instance.location.start_line ? `:${instance.location.start_line}` : ""}.` : "";
  return {
    title: oneLine(`${alert.rule.description ?? alert.rule.name ?? alert.rule.id} (${alert.rule.id})`, 200),
    source: `GitHub code scanning: ${alert.tool.name}`,
    severity: severityWord(alert.rule.security_severity_level, alert.rule.severity) ?? "medium",
    details: [instance?.message?.text ?? "", where].filter(Boolean),
  };
}

function dependabot(alert: z.infer<typeof DependabotAlert>): Described {
  const { dependency, security_advisory: advisory, security_vulnerability: vulnerable } = alert;
  const patched = vulnerable?.first_patched_version?.identifier;
  return {
    title: oneLine(`${advisory.summary} (${advisory.cve_id ?? advisory.ghsa_id})`, 200),
    source: "GitHub Dependabot",
    severity: severityWord(advisory.severity, vulnerable?.severity) ?? "medium",
    details: [
      `${dependency.package.name} (${dependency.package.ecosystem})${dependency.manifest_path ? ` in ${dependency.manifest_path}` : ""}` +
        `${vulnerable?.vulnerable_version_range ? `, vulnerable ${vulnerable.vulnerable_version_range}` : ""}` +
        `${patched ? `, fixed in ${patched}` : ", no patched version yet"}.`,
      `Advisory ${advisory.ghsa_id}.`,
    ],
  };
}

function secretScanning(alert: z.infer<typeof SecretScanningAlert>): Described {
  const name = alert.secret_type_display_name ?? alert.secret_type;
  return {
    title: oneLine(`${name} exposed in the repository`, 200),
    source: "GitHub secret scanning",
    // A leaked credential is as bad as it gets until it is revoked, whatever else it touches.
    severity: "critical",
    details: [`Secret type ${alert.secret_type}${alert.validity ? `, validity: ${alert.validity}` : ""}. Revoke it, then remove it from the history.`],
  };
}
