// GET /api/approvals – every run waiting at the policy gate, by time left, with the gate's reasons and deadline
import type { ApprovalInboxResponseSchema } from "@/lib/api/contracts";
import type { z } from "zod";
import { listApprovalInbox } from "@/lib/server/findings";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/approvals" }, async () => ({
  json: { items: await listApprovalInbox() } satisfies z.infer<typeof ApprovalInboxResponseSchema>,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
