// Whether the run's signed records (submitter, approvals, sign-off trail) verify with the services'
// key. Tampering through the engine's admin API is shown loudly, at the top of the run page.
import type { Integrity } from "@/lib/api/contracts";
import { Notice } from "./ui/notice";

export function IntegrityNotice({ integrity }: { integrity: Integrity }) {
  if (integrity.state === "tampered") {
    return (
      <Notice tone="error" data-testid="integrity-tampered" className="border-2 border-rose-500">
        <p className="font-semibold">Do not trust this run&apos;s sign-off record: it does not verify.</p>
        <p className="mt-1">
          Its state was changed outside the services (through Restate&apos;s admin API, or by a deployment that is not ours). Check with an administrator before
          acting on it.
        </p>
        <ul className="mt-1 list-disc pl-5">
          {integrity.problems.map((problem) => (
            <li key={problem} className="break-words">
              {problem}
            </li>
          ))}
        </ul>
      </Notice>
    );
  }
  if (integrity.state === "unsigned") {
    return (
      <Notice tone="warning" data-testid="integrity-unsigned">
        <span className="font-medium">This run&apos;s sign-off record is not signed.</span> {integrity.problems.join(" ")}
      </Notice>
    );
  }
  if (integrity.state === "unchecked") {
    return (
      <Notice tone="warning" data-testid="integrity-unchecked">
        Signed records not checked: {integrity.problems.join(" ")}
      </Notice>
    );
  }
  return null;
}
