// The judge's calibration, read from every run's state in one admin SQL query and computed by
// lib/calibration.ts. The filters are applied here, never put into SQL.
import "server-only";
import { CALIBRATION_STATE_KEYS, calibrationReport, calibrationRun, labelledRuns, selectRuns, type CalibrationFilters } from "@/lib/calibration";
import type { CalibrationReport, LabelledRun } from "@/lib/calibration";
import { pivotState, type StateRow } from "@/lib/finding-summary";
import { adminQuery, lit, sql } from "./admin-sql";

/** Every run's calibration keys: a scan of the runs' state, so its cost grows with the history. */
async function readRuns() {
  const rows = await adminQuery<StateRow>(sql`
    SELECT service_key, key, value_utf8 FROM state
    WHERE service_name = 'RemediationWorkflow' AND key IN (${lit.list(CALIBRATION_STATE_KEYS.map((key) => lit.stateKey(key)))})`);
  return [...pivotState(rows)].flatMap(([findingId, values]) => calibrationRun(findingId, values) ?? []);
}

export async function getCalibration(filters: CalibrationFilters): Promise<CalibrationReport> {
  return calibrationReport(await readRuns(), filters);
}

/** The labelled set (runs whose gate a human decided) under the filters, newest decision first. */
export async function getLabelledRuns(filters: CalibrationFilters): Promise<LabelledRun[]> {
  return labelledRuns(selectRuns(await readRuns(), filters));
}
