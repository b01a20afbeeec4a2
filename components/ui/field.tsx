// A form control (controls.tsx) with its label, hint and error wired together for screen readers.
import type { ReactNode } from "react";
import { cn } from "./class-names";

export interface FieldProps {
  /** The control's id; the label, hint and error ids derive from it. */
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  className?: string;
  /** Renders the control with the ids and invalid state it needs. */
  children: (control: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}

export function Field({ id, label, hint, error, className, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-rose-700" data-field-error={id}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
