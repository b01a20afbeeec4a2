// The services' settings, read from the environment once at start-up; a bad value stops the process.
import { resolve } from "node:path";
import { z } from "zod";
import { LADDER_AGENTS, type ExecutorName } from "./contracts/rungs";
import { DEFAULT_BUCKET_SIZE } from "./contracts/run-index";
import { ModelEnvSchema } from "./models/model-config";

/** `agent=ms,agent=ms`: each named rung's timeout; an unknown agent or a bad number stops the process. */
const RungTimeouts = z
  .string()
  .optional()
  .transform((text, ctx) => {
    const timeouts: Partial<Record<ExecutorName, number>> = {};
    for (const part of (text ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean)) {
      const [agent, ms] = part.split("=").map((item) => item.trim());
      if (!LADDER_AGENTS.includes(agent as ExecutorName)) {
        ctx.issues.push({ code: "custom", input: text, message: `"${agent}" is not a rung (rungs: ${LADDER_AGENTS.join(", ")})` });
      } else if (!ms || !/^[1-9]\d*$/.test(ms)) {
        ctx.issues.push({ code: "custom", input: text, message: `${agent}'s timeout must be a positive whole number of ms, got "${ms ?? ""}"` });
      } else {
        timeouts[agent as ExecutorName] = Number(ms);
      }
    }
    return timeouts;
  });

const EnvSchema = z.object({
  SERVICES_PORT: z.coerce.number().int().min(1).max(65535).default(9080),
  SERVICES_HOST: z.string().default("127.0.0.1"),
  /** Which adapters the services use (restate/adapters/index.ts); the models layer defines the names. */
  LLM_PROVIDER: ModelEnvSchema.shape.LLM_PROVIDER,
  /** Multiplies every stub's latency; 0 answers at once (tests, benchmarks). */
  STUB_LATENCY_SCALE: z.coerce.number().min(0).max(100).default(1),
  /** Faults to inject into the stubbed outside world (JSON; see adapters/stubs/faults.ts). */
  STUB_FAULTS: z.string().optional(),
  /**
   * Each port of the outside world picks its adapter: "local" (default) is the embedded one that
   * needs no account and no network, keeping its records under OUTSIDE_WORLD_DIR; "stub" is the
   * ledger stand-in the tests count (restate/adapters/stubs). Real adapters add their own names.
   */
  CODE_HOST: z.enum(["local", "stub", "github"]).default("local"),
  ISSUE_TRACKER: z.enum(["local", "stub", "github", "jira"]).default("local"),
  CHAT: z.enum(["local", "stub", "slack", "webhook"]).default("local"),
  AUDIT_SINK: z.enum(["local", "stub", "siem"]).default("local"),
  EVAL_STORE: z.enum(["local", "stub", "langfuse"]).default("local"),
  /** The console's address, for the run links a pull request's provenance carries (none when unset). */
  CONSOLE_URL: z.string().url().optional(),
  /** Where the embedded ("local") adapters keep their records. */
  OUTSIDE_WORLD_DIR: z.string().default(resolve(".data/outside")),
  /** Where the stubbed outside world keeps its ledger (JSONL). */
  OUTSIDE_WORLD_LEDGER: z.string().default(resolve(".data/outside-world.jsonl")),
  /** Overrides every rung's timeout (ms), e.g. to make runaway tests quick. */
  RUNG_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  /**
   * Per-rung timeouts (ms) as `agent=ms,…`, e.g. `fastExecutor=5000`; they win over RUNG_TIMEOUT_MS for
   * the rungs they name. Tests bound only the rung whose runaway they are about and leave the others slack.
   */
  RUNG_TIMEOUTS_MS: RungTimeouts,
  /** Admin API, used only to read which deployment an invocation is pinned to. */
  RESTATE_ADMIN_URL: z.string().url().default("http://127.0.0.1:9070"),
  /** Comma-separated `publickeyv1_…` keys: when set, only a server holding one of them may call us. */
  RESTATE_IDENTITY_KEYS: z.string().optional(),
  /**
   * HMAC secret shared with the console: the services accept a sign-off (and a named submitter) only
   * when the console signed it with this secret. Without it every sign-off is refused.
   */
  APPROVAL_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /**
   * ed25519 private key (PKCS#8 PEM file) the services sign their records with (approvals, the
   * sign-off trail, the submitter, the audit record), so tampering through the admin API shows.
   * Without it records carry no signature and the console reports them as unverified.
   */
  RECORD_SIGNING_KEY_FILE: z.string().optional(),
  /**
   * A finding sent straight to the ingress has no signed submitter, so its author could be any
   * approver. "second-approver" (default): its gate takes one more approver than the policy asks;
   * "refuse": such runs end at once (deployments where every finding comes through the console);
   * "allow": no extra rule (demos only: the author may approve their own finding).
   */
  UNSIGNED_SUBMISSIONS: z.enum(["second-approver", "refuse", "allow"]).default("second-approver"),
  /** The sign-off policy (YAML or JSON, see restate/policy/policy-file.ts); unset: the built-in rules. */
  SIGNOFF_POLICY_FILE: z.string().optional(),
  /** Overrides the code revision computed from the sources (e.g. a git sha set by a deploy pipeline). */
  CODE_REVISION: z.string().optional(),
  /**
   * Measurement only (the benchmark): on SIGUSR2 the process collects garbage, when Node runs with
   * --expose-gc, and writes process.memoryUsage() as JSON to this file. Off when unset.
   */
  SERVICES_HEAP_REPORT: z.string().optional(),
  /**
   * Entries a bucket of the run list's index holds at most (restate/console/run-index.ts). A tuning knob:
   * larger buckets mean fewer state keys and larger reads. Buckets written before a change keep their
   * size until their next write. The index's tests use 10, to cross bucket boundaries with few runs.
   */
  RUN_INDEX_BUCKET_SIZE: z.coerce.number().int().min(4).max(1000).default(DEFAULT_BUCKET_SIZE),
});

export type ServicesConfig = z.infer<typeof EnvSchema>;

export function readServicesConfig(env: Record<string, string | undefined> = process.env): ServicesConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid services configuration: ${problems}`);
  }
  return parsed.data;
}

export const config = readServicesConfig();
