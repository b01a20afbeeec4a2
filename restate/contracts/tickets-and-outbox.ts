// What the embedded tracker and chat keep (restate/adapters/local) and the console lists: the shapes
// both sides import. Where the console shows such a record is in local-records.ts, which the browser loads.
import { z } from "zod";

export { LOCAL_CHAT_SYSTEM, LOCAL_TRACKER_SYSTEM, consoleLinkOf, recordAnchor } from "./local-records";

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
