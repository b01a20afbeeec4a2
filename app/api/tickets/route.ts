// GET /api/tickets – the embedded tracker's tickets and the embedded chat's outbox, newest first
import type { TicketsAndOutbox } from "@/lib/api/contracts";
import { otherMethods, route } from "@/lib/server/route";
import { listTicketsAndOutbox } from "@/lib/server/tickets-and-outbox";

export const GET = route({ name: "GET /api/tickets" }, async () => ({
  json: (await listTicketsAndOutbox()) satisfies TicketsAndOutbox,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
