// GET /api/events – the change feed as Server-Sent Events: changed runs and the inbox for everyone,
// a watched run's page (?finding=) and journal (?journal=); resumes from Last-Event-ID (or ?since=)
import { LiveTopicsSchema } from "@/lib/api/live-events";
import { openEventStream } from "@/lib/server/event-stream";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/events", query: LiveTopicsSchema }, async ({ request, operator, query }) =>
  openEventStream(request, operator, query),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
