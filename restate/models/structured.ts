// Structured output that does not rely on the server enforcing a schema (not every OpenAI-compatible
// server does): the model is asked for JSON, we validate it with zod, and a reply that does not parse
// gets one repair turn with the validation error. Still wrong: a typed failure, never a throw.
import type { ModelMessage } from "ai";
import { z } from "zod";
import type { ModelTurn, ModelTurnRequest } from "./durable-model";

export type ParsedReply<T> = { ok: true; value: T } | { ok: false; error: string };

/** The JSON in a model's reply (bare, or in a ```json fence), validated by the schema. */
export function parseStructuredReply<T>(text: string, schema: z.ZodType<T>): ParsedReply<T> {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n?```/.exec(text);
  const candidate = (fenced?.[1] ?? text).trim();
  if (!candidate) return { ok: false, error: "the reply is empty" };
  let json: unknown;
  try {
    json = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, error: `the reply is not JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
    return { ok: false, error: `the JSON does not match the schema: ${problems.join("; ")}` };
  }
  return { ok: true, value: parsed.data };
}

/** The system prompt's addition that asks for the schema's JSON. */
export function jsonInstruction(schema: z.ZodType): string {
  return ["Reply with one JSON object and nothing else (no prose, no code fence), matching this JSON Schema:", JSON.stringify(z.toJSONSchema(schema))].join(
    "\n",
  );
}

export type StructuredResult<T> =
  | { ok: true; value: T; turns: ModelTurn[] }
  /** `reason` reads after "the judge's output did not parse: ". */
  | { ok: false; reason: string; turns: ModelTurn[] };

/**
 * Asks for the schema's JSON, with at most one repair turn. `callTurn(n, request)` makes turn n (1, then
 * 2 for the repair): durableModelTurn in a handler, callModelOnce outside one. A failed call (a provider
 * error) is not a parse failure and is thrown as it comes.
 */
export async function generateStructured<T>(input: {
  schema: z.ZodType<T>;
  request: ModelTurnRequest;
  callTurn: (turn: number, request: ModelTurnRequest) => Promise<ModelTurn>;
}): Promise<StructuredResult<T>> {
  const system = [input.request.system, jsonInstruction(input.schema)].filter(Boolean).join("\n\n");
  const first: ModelTurnRequest = { ...input.request, system, tools: undefined };
  const firstTurn = await input.callTurn(1, first);
  const firstParse = parseStructuredReply(firstTurn.text, input.schema);
  if (firstParse.ok) return { ok: true, value: firstParse.value, turns: [firstTurn] };

  const repairMessages: ModelMessage[] = [
    ...first.messages,
    firstTurn.assistantMessage,
    { role: "user", content: `Your reply could not be used: ${firstParse.error}. Reply again with only the JSON object.` },
  ];
  const repairTurn = await input.callTurn(2, { ...first, messages: repairMessages });
  const repairParse = parseStructuredReply(repairTurn.text, input.schema);
  if (repairParse.ok) return { ok: true, value: repairParse.value, turns: [firstTurn, repairTurn] };
  return { ok: false, reason: `${repairParse.error} (after one repair attempt)`, turns: [firstTurn, repairTurn] };
}
