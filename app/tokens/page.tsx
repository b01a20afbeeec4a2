import type { Metadata } from "next";
import { ApiTokens } from "@/components/api-tokens";

export const metadata: Metadata = { title: "API tokens" };

export default function TokensPage() {
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold text-slate-900">API tokens</h1>
      <ApiTokens />
    </div>
  );
}
