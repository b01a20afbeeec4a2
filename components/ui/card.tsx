// A card: the white box most of the console's content sits in (its header, title and body: card-parts.tsx).
import type { HTMLAttributes } from "react";
import { cn } from "./class-names";

export function Card({ className, ...props }: HTMLAttributes<HTMLElement>) {
  return <section className={cn("rounded-lg border border-slate-200 bg-white shadow-sm", className)} {...props} />;
}
