import type { Metadata } from "next";
import { ApprovalsInbox } from "@/components/approvals-inbox";
import { PageIntro } from "@/components/page-intro";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <ApprovalsInbox
      intro={
        <PageIntro title="Waiting for sign-off">
          These runs are suspended on their durable approval promise. Nothing executes until an engineer decides; the nearest deadline first, overdue ones on
          top.
        </PageIntro>
      }
    />
  );
}
