// GET /api/calibration/export?promptVersion=&judgeModel= – the labelled set as JSONL, one line per run whose gate a human decided
import { CalibrationQuerySchema } from "@/lib/calibration";
import { getLabelledRuns } from "@/lib/server/calibration";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/calibration/export", query: CalibrationQuerySchema }, async ({ query }) => {
  const lines = (await getLabelledRuns(query)).map((run) => `${JSON.stringify(run)}\n`);
  return new Response(lines.join(""), {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": 'attachment; filename="judge-calibration.jsonl"',
      "cache-control": "no-store",
    },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
