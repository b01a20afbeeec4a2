import { Suspense } from "react";
import { FindingsTableHead, FindingsTableSkeleton } from "@/components/findings-table-parts";
import { PageIntro } from "@/components/page-intro";
import { RunsDashboard } from "@/components/runs-dashboard";

export default function DashboardPage() {
  // The dashboard reads its filters from the URL on the client; Suspense lets the shell render statically.
  return (
    <Suspense>
      <RunsDashboard
        intro={
          <PageIntro title="Remediation runs">
            Every security finding starts a supervised workflow: executors plan, a judge audits, a policy gate asks a human when needed.
          </PageIntro>
        }
        tableHead={<FindingsTableHead />}
        tableSkeleton={<FindingsTableSkeleton />}
      />
    </Suspense>
  );
}
