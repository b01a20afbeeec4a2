// The code change a plan carries: the files, the last test run in its workspace, and the diff itself
// (rendered on demand: the diff library loads only when a plan with a change is shown).
import dynamic from "next/dynamic";
import type { PlanChange } from "@/restate/contracts/schemas";
import { Badge } from "./ui/badge";

const DiffView = dynamic(() => import("./diff-view").then((module) => module.DiffView), {
  ssr: false,
  loading: () => <p className="text-xs text-slate-500">Loading the diff…</p>,
});

function TestRun({ tests }: { tests: PlanChange["tests"] }) {
  if (!tests) {
    return (
      <p className="text-sm text-slate-600" data-testid="plan-tests" data-passed="none">
        The agent did not run the tests after its last change.
      </p>
    );
  }
  return (
    <div className="text-sm" data-testid="plan-tests" data-passed={tests.passed}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={tests.passed ? "success" : "danger"}>{tests.passed ? "Tests passed" : "Tests failed"}</Badge>
        <code className="font-mono text-xs break-all text-slate-800">$ {tests.command}</code>
        <span className="text-xs text-slate-500">{tests.exitCode === null ? "no exit code (stopped)" : `exit code ${tests.exitCode}`}</span>
      </div>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer font-medium text-slate-600">Test output (the end)</summary>
        <pre className="mt-1 max-h-60 overflow-auto rounded bg-slate-900 px-2 py-1.5 font-mono break-all whitespace-pre-wrap text-slate-100">
          {tests.output}
        </pre>
      </details>
    </div>
  );
}

export function PlanChangeView({ change }: { change: PlanChange }) {
  return (
    <div className="space-y-2" data-testid="plan-change">
      <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Change</h4>
      <p className="text-xs text-slate-600">
        {change.files.length} file{change.files.length === 1 ? "" : "s"}: <span className="font-mono break-all">{change.files.join(", ")}</span> · on{" "}
        <span className="font-mono">{change.baseRevision.slice(0, 12)}</span>
      </p>
      <TestRun tests={change.tests} />
      <DiffView diff={change.diff} />
    </div>
  );
}
