import type { HTMLAttributes } from "react";
import { cn } from "./class-names";

/** A grey placeholder with the shape of content that is on its way. */
export function Skeleton({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div aria-hidden="true" className={cn("animate-pulse rounded bg-slate-200/80", className)} {...props} />;
}
