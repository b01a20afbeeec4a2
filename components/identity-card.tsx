// Workload identity: the one invocation id that resolves to the journal, the immutable deployment
// (so the exact code), and the prompt version the agents ran with.
import type { InvocationSummary } from "@/lib/api/contracts";
import type { WorkloadIdentity } from "@/restate/contracts/schemas";
import { CopyButton } from "./copy-button";
import { safeHttpUrl } from "./safe-url";
import { formatTimestamp } from "./time-format";
import { Card } from "./ui/card";
import { CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { DetailsList } from "./ui/details-list";

const mono = (value: string | null | undefined) =>
  value ? <span className="font-mono text-xs break-all">{value}</span> : <span className="text-slate-400">—</span>;

export function IdentityCard({
  identity,
  workflowInvocation,
  restateUiUrl,
}: {
  identity: WorkloadIdentity | null;
  workflowInvocation: InvocationSummary | null;
  restateUiUrl: string | null;
}) {
  const invocationId = identity?.invocationId ?? workflowInvocation?.id ?? null;
  const uiHref = safeHttpUrl(restateUiUrl);
  return (
    <Card aria-labelledby="identity-title" data-testid="identity-card">
      <CardHeader>
        <div>
          <CardTitle id="identity-title">Workload identity</CardTitle>
          <CardDescription>
            Recorded by the workflow as its first durable step: this invocation id resolves to the journal, the pinned deployment (the exact code) and the
            prompts.
          </CardDescription>
        </div>
        {uiHref ? (
          <a href={uiHref} target="_blank" rel="noopener noreferrer" className="inline-flex shrink-0 text-sm font-medium text-indigo-700 hover:underline">
            Open in Restate UI ↗
          </a>
        ) : null}
      </CardHeader>
      <CardBody>
        <DetailsList
          layout="columns"
          items={[
            {
              label: "Invocation",
              value: invocationId ? (
                <span className="flex items-start gap-1">
                  {mono(invocationId)}
                  <CopyButton value={invocationId} label="invocation id" />
                </span>
              ) : (
                mono(null)
              ),
            },
            { label: "Deployment", value: mono(identity?.deploymentId ?? workflowInvocation?.deploymentId) },
            { label: "Code revision", value: mono(identity?.codeRevision) },
            { label: "Prompt version", value: mono(identity?.promptVersion) },
            {
              label: "Engine status",
              value: workflowInvocation ? (
                <span className="text-xs">
                  {workflowInvocation.status}
                  {workflowInvocation.completionResult ? ` · ${workflowInvocation.completionResult}` : ""}
                </span>
              ) : (
                mono(null)
              ),
            },
            { label: "Recorded", value: <span className="text-xs">{formatTimestamp(identity?.recordedAt)}</span> },
          ]}
        />
      </CardBody>
    </Card>
  );
}
