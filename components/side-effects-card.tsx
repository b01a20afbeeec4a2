// What the run did to the outside world, each step once: ticket, PR, notification, eval, audit.
import { ConsoleLink } from "./ui/console-link";
import type { ExternalRef, Status } from "@/restate/contracts/schemas";
import { consoleLinkOf } from "@/restate/contracts/local-records";
import { safeHttpUrl } from "./safe-url";
import { Card } from "./ui/card";
import { CardDescription, CardHeader, CardTitle } from "./ui/card-parts";

type EffectKey = "ticket" | "pullRequest" | "notification" | "evalExport" | "auditRecord";

const EFFECTS: { key: EffectKey; label: string; afterGate: boolean }[] = [
  { key: "evalExport", label: "Eval export", afterGate: false },
  { key: "ticket", label: "Ticket", afterGate: true },
  { key: "pullRequest", label: "Pull request", afterGate: true },
  { key: "notification", label: "Notification", afterGate: true },
  { key: "auditRecord", label: "Audit record", afterGate: false },
];

function RefValue({ reference }: { reference: ExternalRef }) {
  const href = safeHttpUrl(reference.url);
  // The embedded tracker's and chat's records are listed in the console itself.
  const inConsole = consoleLinkOf(reference);
  const text = <span className="font-mono text-xs break-all">{reference.id}</span>;
  return (
    <span className="flex items-center gap-2">
      {inConsole ? (
        <ConsoleLink href={inConsole} className="text-indigo-700 hover:underline">
          {text}
        </ConsoleLink>
      ) : href ? (
        <a href={href} target="_blank" rel="noopener noreferrer" className="text-indigo-700 hover:underline">
          {text}
        </a>
      ) : (
        text
      )}
      <span className="text-xs text-slate-500">{reference.system}</span>
    </span>
  );
}

export function SideEffectsCard({ status }: { status: Status }) {
  const stopped = status.stage === "failed" || status.stage === "rejected" || status.stage === "expired";
  return (
    <Card aria-labelledby="effects-title" data-testid="side-effects">
      <CardHeader>
        <div>
          <CardTitle id="effects-title">Side effects</CardTitle>
          <CardDescription>Each runs once inside ctx.run with an idempotency key.</CardDescription>
        </div>
      </CardHeader>
      <ul className="divide-y divide-slate-100">
        {EFFECTS.map(({ key, label, afterGate }) => {
          const reference = status[key];
          return (
            <li key={key} className="flex items-center justify-between gap-3 px-4 py-2 text-sm" data-effect={key}>
              <span className="text-slate-600">{label}</span>
              {reference ? (
                <RefValue reference={reference} />
              ) : (
                <span className="text-xs text-slate-400">{stopped && afterGate ? "not opened: run stopped" : stopped ? "—" : "pending"}</span>
              )}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
