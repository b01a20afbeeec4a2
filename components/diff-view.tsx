"use client";
// A plan's unified diff, rendered by react-diff-view. Loaded on demand (next/dynamic in plan-change.tsx),
// so the library stays out of every page's first load. Long lines scroll inside the box, never the page
// (`!`: the library's own stylesheet is unlayered, so it beats Tailwind's layered utilities otherwise).
import { useMemo } from "react";
import { Diff, Hunk, parseDiff } from "react-diff-view";
import "react-diff-view/style/index.css";

export function DiffView({ diff }: { diff: string }) {
  const files = useMemo(() => parseDiff(diff, { nearbySequences: "zip" }), [diff]);
  return (
    <div
      className="max-h-[32rem] overflow-auto rounded border border-slate-200 bg-white text-xs [&_.diff]:w-max! [&_.diff]:min-w-full! [&_.diff]:table-auto! [&_.diff-code]:break-normal! [&_.diff-code]:wrap-normal! [&_.diff-code]:whitespace-pre!"
      data-testid="plan-diff"
    >
      {files.map((file) => {
        const path = file.type === "delete" ? file.oldPath : file.newPath;
        return (
          <section key={`${file.oldPath}\u0000${file.newPath}`} aria-label={`Changes to ${path}`}>
            <h5 className="sticky left-0 border-b border-slate-200 bg-slate-50 px-2 py-1 font-mono font-semibold text-slate-800">
              {path}
              {file.type === "add" ? " (new)" : file.type === "delete" ? " (deleted)" : ""}
            </h5>
            <Diff viewType="unified" diffType={file.type} hunks={file.hunks}>
              {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
            </Diff>
          </section>
        );
      })}
    </div>
  );
}
