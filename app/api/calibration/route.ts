// GET /api/calibration?promptVersion=&judgeModel= – the judge's acceptance, rejection reasons and agreement with the gate
import { CalibrationQuerySchema, type CalibrationReport } from "@/lib/calibration";
import { getCalibration } from "@/lib/server/calibration";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/calibration", query: CalibrationQuerySchema }, async ({ query }) => ({
  json: (await getCalibration(query)) satisfies CalibrationReport,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
