// The engine's own cost, for the benchmark: a workflow that journals the same commands as the
// remediation workflow (same kinds, same order, same sub-agent call shape) but does no work.
import http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";

/** One journaled command of the product's run, as read from its journal. */
export type Command = "Run" | "SetState" | "Call" | "TimedCall";
export interface Shape {
  workflow: Command[];
  /** ctx.run steps inside each called sub-agent. */
  subAgentRuns: number;
}

const bareAgent = restate.service({
  name: "BareAgent",
  handlers: {
    work: async (ctx: restate.Context, runs: number) => {
      for (let i = 0; i < runs; i++) await ctx.run(`step ${i}`, () => i);
      return runs;
    },
  },
});

const bareWorkflow = restate.workflow({
  name: "BareWorkflow",
  handlers: {
    run: async (ctx: restate.WorkflowContext, shape: Shape) => {
      let step = 0;
      for (const command of shape.workflow) {
        step += 1;
        if (command === "Run") await ctx.run(`step ${step}`, () => step);
        else if (command === "SetState") ctx.set(`key${step % 8}`, step);
        else if (command === "Call") await ctx.serviceClient(bareAgent).work(shape.subAgentRuns);
        else await ctx.serviceClient(bareAgent).work(shape.subAgentRuns).orTimeout(60_000);
      }
      return step;
    },
  },
});

const port = Number(process.env.SERVICES_PORT ?? 9181);
const endpoint = restate.endpoint().bind(bareWorkflow).bind(bareAgent);
http2.createServer(endpoint.http2Handler()).listen(port, "127.0.0.1", () => console.log(`bare services on ${port}`));
process.once("SIGTERM", () => process.exit(0));
