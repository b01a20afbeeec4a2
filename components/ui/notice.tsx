import type { HTMLAttributes } from "react";
import { cn, variants, type VariantProps } from "./class-names";

const noticeVariants = variants("rounded-md border px-3 py-2 text-sm", {
  variants: {
    tone: {
      info: "border-sky-200 bg-sky-50 text-sky-900",
      warning: "border-amber-300 bg-amber-50 text-amber-900",
      error: "border-rose-200 bg-rose-50 text-rose-900",
      success: "border-emerald-200 bg-emerald-50 text-emerald-900",
    },
  },
  defaultVariants: { tone: "info" },
});

export type NoticeProps = HTMLAttributes<HTMLDivElement> & VariantProps<typeof noticeVariants>;

/** A message block; errors are announced to screen readers as they appear. */
export function Notice({ className, tone, ...props }: NoticeProps) {
  return <div role={tone === "error" ? "alert" : "status"} className={cn(noticeVariants({ tone }), className)} {...props} />;
}
