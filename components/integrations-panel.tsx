"use client";
// The Integrations page: each port of the outside world (models, workspaces, code host, tracker,
// chat, audit and eval exports) with the adapter the services use, whether its settings are there
// (secrets show only as set or missing), what it did last, and a "test connection" action.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ConnectionTest, IntegrationsOverview } from "@/lib/api/contracts";
import { describeError } from "@/lib/query/api-client";
import { integrationMutations, integrationQueries } from "@/lib/query/integration-queries";
import { formatAgo, formatDuration } from "./time-format";
import { Badge, type BadgeTone } from "./ui/badge";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { Notice } from "./ui/notice";
import { useNow } from "./use-now";
import { useOperator } from "./use-operator";

type Integration = IntegrationsOverview["integrations"][number];

const KIND_TONES: Record<Integration["kind"], BadgeTone> = { embedded: "info", stub: "muted", remote: "success" };
const KIND_LABELS: Record<Integration["kind"], string> = { embedded: "embedded", stub: "test stand-in", remote: "outside system" };

function ConnectionResult({ result }: { result: ConnectionTest }) {
  return (
    <Notice tone={result.ok ? "success" : "error"} data-testid="connection-result" className="text-xs break-words">
      {result.ok ? "Connected" : "Failed"} ({formatDuration(result.durationMs)}): {result.message}
    </Notice>
  );
}

function IntegrationCard({ integration, now }: { integration: Integration; now: number }) {
  const queryClient = useQueryClient();
  const test = useMutation(integrationMutations.testConnection(queryClient));
  const missing = integration.settings.filter((setting) => !setting.set);
  return (
    <Card data-testid={`integration-${integration.port}`} className="min-w-0">
      <CardHeader className="flex-wrap gap-2">
        <div className="min-w-0">
          <CardTitle>{integration.label}</CardTitle>
          <CardDescription className="break-words">
            <span className="font-mono">
              {integration.selectedBy}={integration.adapter}
            </span>
          </CardDescription>
        </div>
        <Badge tone={KIND_TONES[integration.kind]} data-testid="integration-kind">
          {integration.adapter} · {KIND_LABELS[integration.kind]}
        </Badge>
      </CardHeader>
      <CardBody className="space-y-3 text-sm">
        {integration.settings.length ? (
          <ul className="space-y-1" aria-label="Settings">
            {integration.settings.map((setting) => (
              <li key={setting.variable} className="flex min-w-0 flex-wrap items-baseline gap-x-2 font-mono text-xs">
                <span className="text-slate-700">{setting.variable}</span>
                {setting.set ? (
                  <span className="min-w-0 break-all text-slate-500">{setting.secret ? "set (secret)" : (setting.value ?? "set")}</span>
                ) : (
                  <span className="text-slate-400">not set</span>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-slate-500">No settings.</p>
        )}
        {missing.some((setting) => setting.secret) ? <p className="text-xs text-amber-800">A secret is not set: calls will be refused.</p> : null}
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
          <dt className="text-slate-500">Last call</dt>
          <dd data-testid="last-call" className="min-w-0 break-words">
            {integration.lastCall
              ? `${integration.lastCall.method} ${formatAgo(integration.lastCall.at, now)} (${formatDuration(integration.lastCall.durationMs)})`
              : "none since the services started"}
          </dd>
          <dt className="text-slate-500">Last error</dt>
          <dd data-testid="last-error" className={integration.lastError ? "min-w-0 break-words text-rose-700" : "text-slate-500"}>
            {integration.lastError ? `${integration.lastError.method} ${formatAgo(integration.lastError.at, now)}: ${integration.lastError.error}` : "none"}
          </dd>
        </dl>
        <div className="space-y-2">
          <Button size="sm" variant="secondary" disabled={test.isPending} onClick={() => test.mutate(integration.port)}>
            {test.isPending ? "Testing…" : "Test connection"}
          </Button>
          {test.data ? <ConnectionResult result={test.data} /> : null}
          {test.error ? <Notice tone="error">{describeError(test.error)}</Notice> : null}
        </div>
      </CardBody>
    </Card>
  );
}

export function IntegrationsPanel() {
  const { operator, may } = useOperator();
  const allowed = may("administer");
  const overview = useQuery({ ...integrationQueries.overview(), enabled: allowed });
  const now = useNow();
  if (operator && !allowed) return <Notice tone="error">Your role ({operator.roles.join(", ")}) may not see the integrations: admins only.</Notice>;
  if (overview.error) return <Notice tone="error">{describeError(overview.error)}</Notice>;
  if (!overview.data) return <p className="text-sm text-slate-500">Loading integrations…</p>;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {overview.data.integrations.map((integration) => (
        <IntegrationCard key={integration.port} integration={integration} now={now} />
      ))}
    </div>
  );
}
