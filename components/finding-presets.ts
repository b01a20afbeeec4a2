// The example findings on the submit page, one per scenario the supervisor handles, for one-click
// submission. The list itself is data, in finding-presets.json.
import type { Finding } from "@/restate/contracts/schemas";
import { SEVERITIES, type Severity } from "@/restate/contracts/vocabulary";
import presets from "./finding-presets.json";

export interface FindingPreset {
  key: string;
  title: string;
  /** What the operator should expect to see happen. */
  expect: string;
  /** The id's stem; a short random suffix keeps two clicks from landing on the same run. */
  idStem: string;
  finding: Omit<Finding, "id">;
}

/** JSON gives the severity as any string; a typo there fails here, on the page's first load, not at the API. */
function severity(value: string): Severity {
  const known = SEVERITIES.find((severity) => severity === value);
  if (!known) throw new Error(`finding-presets.json: unknown severity "${value}"`);
  return known;
}

export const FINDING_PRESETS: readonly FindingPreset[] = presets.map((preset) => ({
  ...preset,
  finding: { ...preset.finding, severity: severity(preset.finding.severity) },
}));

export function freshFindingId(stem: string): string {
  const bytes = new Uint8Array(3);
  crypto.getRandomValues(bytes);
  const suffix = Array.from(bytes, (byte) => byte.toString(36).padStart(2, "0"))
    .join("")
    .slice(0, 5);
  return `${stem}-${suffix}`;
}
