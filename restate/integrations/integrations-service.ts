// The Integrations service: what the console's Integrations page reads (overview) and its "test
// connection" action. Answers from this services process: the adapters it uses, their settings as
// set or unset (a secret's value never leaves), and the calls it made (./call-tracker.ts).
import * as restate from "@restatedev/restate-sdk";
import { z } from "zod";
import { adapters } from "../adapters/index";
import type { ConnectionCheck } from "../adapters/ports";
import { config } from "../config";
import { PORT_NAMES, type ConnectionTest, type IntegrationPort, type IntegrationsOverview } from "../contracts/integrations";
import { SERVICE_NAMES } from "../contracts/services";
import { describeIntegration, selectedAdapter } from "./catalog";
import { portActivity } from "./call-tracker";

function connectionCheck(port: IntegrationPort): ConnectionCheck | null {
  const adapter = adapters[port] as Partial<ConnectionCheck>;
  return typeof adapter.checkConnection === "function" ? (adapter as ConnectionCheck) : null;
}

/** The longest a connection test may take before it counts as failed. */
const CONNECTION_TEST_TIMEOUT_MS = 10_000;

export async function testConnection(port: IntegrationPort): Promise<ConnectionTest> {
  const startedAt = Date.now();
  const check = connectionCheck(port);
  if (!check) {
    const { adapter, kind } = selectedAdapter(port, config);
    if (kind === "remote") {
      return {
        port,
        ok: false,
        message: `${adapter}: no connection test (it cannot be reached without sending something real); see its last call`,
        durationMs: 0,
      };
    }
    return { port, ok: true, message: `${adapter}: nothing to connect to (it runs inside the services)`, durationMs: 0 };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECTION_TEST_TIMEOUT_MS / 1000} s`)), CONNECTION_TEST_TIMEOUT_MS);
  });
  try {
    const message = await Promise.race([check.checkConnection(), timeout]);
    return { port, ok: true, message, durationMs: Date.now() - startedAt };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
    return { port, ok: false, message, durationMs: Date.now() - startedAt };
  } finally {
    clearTimeout(timer);
  }
}

const TestInputSchema = z.object({ port: z.enum(PORT_NAMES) }).strict();

export const integrations = restate.service({
  name: SERVICE_NAMES.integrations,
  handlers: {
    overview: async (): Promise<IntegrationsOverview> => ({
      integrations: PORT_NAMES.map((port) =>
        describeIntegration(port, config, process.env, { ...portActivity(port), canTestConnection: connectionCheck(port) !== null }),
      ),
    }),
    testConnection: restate.handlers.handler(
      { input: restate.serde.schema(TestInputSchema) },
      // Not journaled as a step: a connection test changes nothing outside, and a retry may ask again.
      async (_ctx: restate.Context, input: z.infer<typeof TestInputSchema>): Promise<ConnectionTest> => testConnection(input.port),
    ),
  },
});

export type Integrations = typeof integrations;
