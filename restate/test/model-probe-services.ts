// A services endpoint for durable-model.test.ts: one test-only service, ModelProbe, that makes durable
// model turns against whatever model server the request names (the tests' scripted one).
import http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { durableModelTurn, type DurableModelOptions, type ModelTurn } from "../models/durable-model";
import { ApiKey, type LlmProvider } from "../models/model-config";
import { languageModelFor } from "../models/providers";
import { generateStructured, type StructuredResult } from "../models/structured";
import { z } from "zod";

export interface ProbeRequest {
  provider: Exclude<LlmProvider, "stub">;
  baseUrl: string;
  /** Makes this invocation's requests distinct from every other test's. */
  marker: string;
  turns?: number;
  options?: DurableModelOptions;
}

export const ProbeVerdict = z.object({ verdict: z.enum(["accept", "reject"]), reason: z.string().min(1) });

const modelFor = (request: ProbeRequest, role: "fast" | "judge") =>
  languageModelFor({ role, provider: request.provider, baseUrl: request.baseUrl, model: "scripted-1", apiKey: new ApiKey("probe-key") });

const modelProbe = restate.service({
  name: "ModelProbe",
  handlers: {
    /** A transcript of `turns` turns: each turn sees the assistant messages of the turns before it. */
    turns: async (ctx: restate.Context, request: ProbeRequest): Promise<ModelTurn[]> => {
      const model = modelFor(request, "fast");
      const transcript: ModelTurn["assistantMessage"][] = [{ role: "user", content: `probe ${request.marker}` }];
      const answers: ModelTurn[] = [];
      for (let turn = 1; turn <= (request.turns ?? 1); turn += 1) {
        const answer = await durableModelTurn(ctx, model, turn, { messages: [...transcript] }, request.options);
        answers.push(answer);
        transcript.push(answer.assistantMessage, { role: "user", content: `continue (turn ${turn + 1})` });
      }
      return answers;
    },
    judge: async (ctx: restate.Context, request: ProbeRequest): Promise<StructuredResult<z.infer<typeof ProbeVerdict>>> => {
      const model = modelFor(request, "judge");
      return await generateStructured({
        schema: ProbeVerdict,
        request: { messages: [{ role: "user", content: `review ${request.marker}` }] },
        callTurn: (turn, modelRequest) => durableModelTurn(ctx, model, turn, modelRequest, request.options),
      });
    },
  },
});

const port = Number(process.env.SERVICES_PORT);
http2.createServer(restate.endpoint().bind(modelProbe).http2Handler()).listen(port, "127.0.0.1");
