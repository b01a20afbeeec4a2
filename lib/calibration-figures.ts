// Calibration figures in the words the console shows them, without zod (the page's first load imports this). Pure.

/** A rate as a percentage or kappa to two decimals; "—" when undefined (null, never "NaN"). */
export function formatFigure(value: number | null, as: "percent" | "decimal"): string {
  if (value === null || Number.isNaN(value)) return "—";
  return as === "percent" ? `${Math.round(value * 1000) / 10}%` : value.toFixed(2);
}
