// A rung's tool calls in its workspace, folded: what the agent asked for and the start of each answer.
import type { ToolCallRecord } from "@/restate/contracts/schemas";
import { Badge } from "./ui/badge";

export function ToolCallList({ toolCalls }: { toolCalls: readonly ToolCallRecord[] }) {
  if (toolCalls.length === 0) return null;
  const failed = toolCalls.filter((call) => call.isError).length;
  return (
    <details className="mt-1.5 text-xs" data-testid="rung-tool-calls">
      <summary className="cursor-pointer font-medium text-slate-600">
        {toolCalls.length} tool call{toolCalls.length === 1 ? "" : "s"}
        {failed ? ` (${failed} refused or failed)` : ""}
      </summary>
      <ol className="mt-1 space-y-1.5">
        {toolCalls.map((call, index) => (
          <li key={index} className="rounded border border-slate-200 px-2 py-1.5" data-testid="tool-call" data-tool={call.tool} data-error={call.isError}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="text-slate-500">turn {call.turn}</span>
              <span className="font-mono font-semibold text-slate-900">{call.tool}</span>
              {call.isError ? <Badge tone="danger">error</Badge> : null}
            </div>
            <code className="mt-1 block font-mono break-all text-slate-700">{call.input}</code>
            <pre className="mt-1 max-h-40 overflow-auto rounded bg-slate-50 px-1.5 py-1 font-mono break-all whitespace-pre-wrap text-slate-700">
              {call.output || "(no output)"}
            </pre>
          </li>
        ))}
      </ol>
    </details>
  );
}
