import { Suspense } from "react";
import { RunsDashboard } from "@/components/runs-dashboard";

export default function DashboardPage() {
  // The dashboard reads its filters from the URL on the client; Suspense lets the shell render statically.
  return (
    <Suspense>
      <RunsDashboard />
    </Suspense>
  );
}
