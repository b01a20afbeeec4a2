import type { Metadata } from "next";
import { PageIntro } from "@/components/page-intro";
import { PullRequestsList } from "@/components/pull-requests-list";

export const metadata: Metadata = { title: "Pull requests" };

export default function PullRequestsPage() {
  return (
    <div className="space-y-4">
      <PageIntro title="Pull requests">
        Branches the runs pushed to the embedded code host&apos;s repositories, each holding exactly the change that was signed off.
      </PageIntro>
      <PullRequestsList />
    </div>
  );
}
