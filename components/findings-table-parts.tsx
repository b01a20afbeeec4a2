// The runs table's static parts (findings-table.tsx): its columns with their titles, and the rows shown
// while the first page loads. Rendered on the server.
import { CELL } from "./findings-table-cells";
import { cn } from "./ui/class-names";
import { Skeleton } from "./ui/skeleton";

/** The table's columns on wide screens (on a phone each run is a card). */
const COLUMNS = [
  { title: "Finding", width: "w-[32%]", className: "px-4 py-2" },
  { title: "Severity", width: "w-[9%]", className: "px-3 py-2" },
  { title: "Repository", width: "w-[15%]", className: "px-3 py-2" },
  { title: "Stage", width: "w-[24%]", className: "px-3 py-2" },
  { title: "Started", width: "w-[10%]", className: "px-3 py-2" },
  { title: "Duration", width: "w-[10%]", className: "px-3 py-2 text-right" },
];

export function FindingsTableHead() {
  return (
    <>
      <colgroup className="hidden md:table-column-group">
        {COLUMNS.map(({ title, width }) => (
          <col key={title} className={width} />
        ))}
      </colgroup>
      <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase md:table-header-group">
        <tr>
          {COLUMNS.map(({ title, className }) => (
            <th key={title} scope="col" className={className}>
              {title}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}

export function FindingsTableSkeleton() {
  return Array.from({ length: 5 }, (_, row) => (
    <tr key={row} className="grid grid-cols-2 gap-2 px-4 py-3 md:table-row md:p-0">
      {Array.from({ length: 6 }, (_, cell) => (
        <td key={cell} className={cn(CELL, "md:px-4 md:py-3")}>
          <Skeleton className="h-4 w-3/4" />
        </td>
      ))}
    </tr>
  ));
}
