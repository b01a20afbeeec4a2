// The Integrations page's view of the outside world: which adapter each port uses, whether its
// settings are there (never their secret values), and what it did last.
import { z } from "zod";

export const PORT_NAMES = ["planner", "judge", "workspace", "codeHost", "issueTracker", "chat", "audit", "evalStore"] as const;
export type IntegrationPort = (typeof PORT_NAMES)[number];

export const CallNoteSchema = z.object({
  method: z.string(),
  at: z.string(),
  durationMs: z.number(),
  error: z.string().optional(),
});

export const IntegrationSchema = z.object({
  port: z.enum(PORT_NAMES),
  /** What the port is for, in a few words. */
  label: z.string(),
  /** The adapter's name as configured, e.g. "local", "github", "openai-compatible". */
  adapter: z.string(),
  /** embedded: local and real, no account needed; stub: the test stand-in; remote: a real outside system. */
  kind: z.enum(["embedded", "stub", "remote"]),
  /** The variable that picks the adapter. */
  selectedBy: z.string(),
  settings: z.array(
    z.object({
      variable: z.string(),
      secret: z.boolean(),
      set: z.boolean(),
      /** Shown for settings that are not secret. */
      value: z.string().optional(),
    }),
  ),
  lastCall: CallNoteSchema.nullable(),
  lastError: CallNoteSchema.nullable(),
  /** Whether "test connection" can do more than say the adapter needs no connection. */
  canTestConnection: z.boolean(),
});
export type Integration = z.infer<typeof IntegrationSchema>;

export const IntegrationsOverviewSchema = z.object({ integrations: z.array(IntegrationSchema) });
export type IntegrationsOverview = z.infer<typeof IntegrationsOverviewSchema>;

export const ConnectionTestSchema = z.object({
  port: z.enum(PORT_NAMES),
  ok: z.boolean(),
  message: z.string(),
  durationMs: z.number(),
});
export type ConnectionTest = z.infer<typeof ConnectionTestSchema>;
