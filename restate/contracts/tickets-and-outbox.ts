// What the embedded tracker and chat keep (restate/adapters/local) and the console lists: the shapes
// both sides import, and where the console shows a record the run page links to.
import { z } from "zod";
import type { ExternalRef } from "./schemas";

/** The `system` of the references the embedded adapters hand out. */
export const LOCAL_TRACKER_SYSTEM = "local-tracker";
export const LOCAL_CHAT_SYSTEM = "local-chat";

export const TicketRecordSchema = z.object({
  id: z.string(),
  findingId: z.string(),
  title: z.string(),
  body: z.string(),
  openedAt: z.string(),
  /** Set when a compensation closed it. */
  closed: z.object({ at: z.string(), reason: z.string() }).nullable(),
});
export type TicketRecord = z.infer<typeof TicketRecordSchema>;

export const OutboxMessageSchema = z.object({
  id: z.string(),
  findingId: z.string(),
  channel: z.string(),
  text: z.string(),
  sentAt: z.string(),
});
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

/** The newest records the console lists; older ones stay in the files. */
export const LISTED_RECORDS = 200;

/** What `TicketsAndOutbox.list` answers: each port's adapter, and the embedded one's records (newest first). */
export const TicketsAndOutboxSchema = z.object({
  tracker: z.object({ adapter: z.string(), tickets: z.array(TicketRecordSchema) }),
  chat: z.object({ adapter: z.string(), messages: z.array(OutboxMessageSchema) }),
});
export type TicketsAndOutbox = z.infer<typeof TicketsAndOutboxSchema>;

/** The console page's anchor of an embedded record, so each ticket and message has its own link. */
export function recordAnchor(kind: "ticket" | "message", id: string): string {
  return `${kind}-${id}`;
}

/** Where the console shows a reference the embedded adapters made; null for other systems. */
export function consoleLinkOf(reference: ExternalRef): string | null {
  if (reference.system === LOCAL_TRACKER_SYSTEM) return `/tickets#${recordAnchor("ticket", reference.id)}`;
  if (reference.system === LOCAL_CHAT_SYSTEM) return `/tickets#${recordAnchor("message", reference.id)}`;
  return null;
}
