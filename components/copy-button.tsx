"use client";
import { useState } from "react";
import { Button } from "./ui/button";

/** Copies an id to the clipboard; says so, or says it could not. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 1_500);
  };
  return (
    <Button variant="ghost" size="sm" onClick={() => void copy()} aria-label={`Copy ${label}`} className="h-6 px-1.5 text-slate-500">
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
    </Button>
  );
}
