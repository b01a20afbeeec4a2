// Scripted models for whole runs: each finding gets its own script per role (and, for an executor, per
// turn), found by the finding id in the request; the scripted server's model name says the role
// (`scripted-fast`, `scripted-conservative`, `scripted-judge`).
import { reply, type ScriptedReply, type ScriptedRequest } from "./scripted-models";

export type ScriptedRole = "fast" | "conservative" | "judge";
/** `turn` counts the executor's turns (the judge's answer is turn 1, its repair turn 2). */
export type ScriptedTurn = (turn: number, request: ScriptedRequest) => ScriptedReply;
export type FindingScript = Partial<Record<ScriptedRole, ScriptedTurn>>;

/** The `LLM_MODEL_*` settings that name the roles the way `scriptedFindings` reads them. */
export const SCRIPTED_ROLE_MODELS = {
  LLM_MODEL_FAST: "scripted-fast",
  LLM_MODEL_CONSERVATIVE: "scripted-conservative",
  LLM_MODEL_JUDGE: "scripted-judge",
} as const;

export function scriptedFindings() {
  const scripts = new Map<string, FindingScript>();
  return {
    set: (findingId: string, script: FindingScript) => void scripts.set(findingId, script),
    /** The scripted server's script: a 400 for a finding or role nobody scripted. */
    route(request: ScriptedRequest): ScriptedReply {
      const messages = request.body.messages as { role: string }[];
      const findingId = /Finding ([\w.-]+) \(/.exec(JSON.stringify(messages))?.[1];
      const role = String(request.body.model).replace("scripted-", "") as ScriptedRole;
      const turn = messages.filter((message) => message.role === "assistant").length + 1;
      const script = findingId ? scripts.get(findingId)?.[role] : undefined;
      return script ? script(turn, request) : reply.error(400, `no script for ${findingId ?? "an unknown finding"} as ${role}`);
    },
  };
}
