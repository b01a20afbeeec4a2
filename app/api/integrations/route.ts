// GET /api/integrations – admins: each outside-world port's adapter, its settings (set or not; no secret values), its last call and last error
import { otherMethods, route } from "@/lib/server/route";
import { integrationsService } from "@/lib/server/restate-ingress";

export const GET = route({ name: "GET /api/integrations", access: "administer" }, async () => ({ json: await integrationsService().overview() }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
