import type { Metadata } from "next";
import { IntegrationsPanel } from "@/components/integrations-panel";

export const metadata: Metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Integrations</h1>
        <p className="text-sm text-slate-600">What the services use for each outside system, as the services process that answered sees it.</p>
      </div>
      <IntegrationsPanel />
    </div>
  );
}
