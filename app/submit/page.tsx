import type { Metadata } from "next";
import { SubmitFinding } from "@/components/submit-finding";

export const metadata: Metadata = { title: "Submit a finding" };

export default function SubmitPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Submit a finding</h1>
        <p className="mt-1 text-sm text-slate-600">
          Starts a supervised remediation run: the executors plan a fix, the judge audits it, and the policy gate decides whether a human signs off.
        </p>
      </div>
      <SubmitFinding />
    </div>
  );
}
