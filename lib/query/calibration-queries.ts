// The judge's calibration report (lib/query/queries.ts has the keys).
import { queryOptions } from "@tanstack/react-query";
import type { CalibrationFilters } from "@/lib/calibration";
import { requestJson } from "./api-client";
import { IDLE_REFRESH_MS, polling, queryKeys } from "./queries";

/** The URL query of the calibration routes' filters ("" when none). */
export function calibrationQueryString(filters: CalibrationFilters): string {
  const params = new URLSearchParams();
  if (filters.promptVersion) params.set("promptVersion", filters.promptVersion);
  if (filters.judgeModel) params.set("judgeModel", filters.judgeModel);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export const calibrationQueries = {
  /** Finished runs change it rarely: asked again when nothing moves, like the lists. */
  report: (filters: CalibrationFilters) =>
    queryOptions({
      queryKey: queryKeys.calibration(filters),
      queryFn: ({ signal }) => requestJson(`/api/calibration${calibrationQueryString(filters)}`, (c) => c.CalibrationReportSchema, { signal }),
      refetchInterval: () => polling(IDLE_REFRESH_MS),
    }),
};
