import type { Metadata } from "next";
import { PullRequestsList } from "@/components/pull-requests-list";

export const metadata: Metadata = { title: "Pull requests" };

export default function PullRequestsPage() {
  return <PullRequestsList />;
}
