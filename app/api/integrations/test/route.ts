// POST /api/integrations/test – admins: `{port}`; the port's adapter reaches its outside system once and says what it found
import { z } from "zod";
import { PORT_NAMES } from "@/lib/api/contracts";
import { integrationsService } from "@/lib/server/restate-ingress";
import { jsonObject, otherMethods, route } from "@/lib/server/route";

const TestInputSchema = z.object({ port: z.enum(PORT_NAMES, { error: `port must be one of: ${PORT_NAMES.join(", ")}` }) }).strict();

export const POST = route({ name: "POST /api/integrations/test", access: "administer", body: jsonObject(TestInputSchema) }, async ({ body }) => ({
  json: await integrationsService().testConnection(body),
}));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
