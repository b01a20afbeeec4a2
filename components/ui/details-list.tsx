import type { ReactNode } from "react";
import { cn, variants, type VariantProps } from "./class-names";

const listVariants = variants("text-sm", {
  variants: {
    layout: {
      /** Label beside value, one pair per line. */
      rows: "grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1.5",
      /** Label above value, pairs side by side: a strip across a wide card. */
      columns: "grid grid-cols-1 gap-x-6 gap-y-3 min-[28rem]:grid-cols-2 md:grid-cols-3 xl:grid-cols-[minmax(0,2.2fr)_repeat(5,minmax(0,1fr))]",
    },
  },
  defaultVariants: { layout: "rows" },
});

export type DetailsListProps = VariantProps<typeof listVariants> & { items: { label: string; value: ReactNode }[]; className?: string };

/** Label/value pairs, e.g. the identity card's fields. */
export function DetailsList({ items, layout, className }: DetailsListProps) {
  const columns = layout === "columns";
  return (
    <dl className={cn(listVariants({ layout }), className)}>
      {items.map((item) => (
        <div key={item.label} className={columns ? "min-w-0" : "contents"}>
          <dt className={columns ? "text-xs font-medium tracking-wide text-slate-500 uppercase" : "text-slate-500"}>{item.label}</dt>
          <dd className={cn("min-w-0 break-words text-slate-900", columns && "mt-0.5")}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
