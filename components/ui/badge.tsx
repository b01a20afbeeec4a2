import type { HTMLAttributes } from "react";
import { cn, variants, type VariantProps } from "./class-names";

export const badgeVariants = variants("inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap", {
  variants: {
    tone: {
      neutral: "border-slate-200 bg-slate-100 text-slate-700",
      info: "border-sky-200 bg-sky-50 text-sky-800",
      progress: "border-indigo-200 bg-indigo-50 text-indigo-800",
      judge: "border-violet-200 bg-violet-50 text-violet-800",
      waiting: "border-amber-300 bg-amber-50 text-amber-900",
      success: "border-emerald-200 bg-emerald-50 text-emerald-800",
      danger: "border-rose-200 bg-rose-50 text-rose-800",
      muted: "border-dashed border-slate-300 bg-white text-slate-500",
    },
  },
  defaultVariants: { tone: "neutral" },
});

const dotColors = {
  neutral: "bg-slate-400",
  info: "bg-sky-500",
  progress: "bg-indigo-500",
  judge: "bg-violet-500",
  waiting: "bg-amber-500",
  success: "bg-emerald-500",
  danger: "bg-rose-500",
  muted: "bg-slate-300",
} as const;

export type BadgeTone = keyof typeof dotColors;

export type BadgeProps = HTMLAttributes<HTMLSpanElement> &
  VariantProps<typeof badgeVariants> & {
    /** A coloured dot before the label; `pulse` for something still in motion. */
    dot?: boolean | "pulse";
  };

export function Badge({ className, tone, dot, children, ...props }: BadgeProps) {
  const color = dotColors[tone ?? "neutral"];
  return (
    <span className={cn(badgeVariants({ tone }), className)} {...props}>
      {dot ? (
        <span className="relative flex size-1.5" aria-hidden="true">
          {dot === "pulse" ? <span className={cn("absolute inline-flex size-full animate-ping rounded-full opacity-75", color)} /> : null}
          <span className={cn("relative inline-flex size-1.5 rounded-full", color)} />
        </span>
      ) : null}
      {children}
    </span>
  );
}
