// The embedded chat (CHAT=local): messages in outbox.jsonl under OUTSIDE_WORLD_DIR, one line each. The
// console lists them through TicketsAndOutbox (restate/console/tickets-and-outbox.ts).
import { join } from "node:path";
import { z } from "zod";
import { LISTED_RECORDS, LOCAL_CHAT_SYSTEM, OutboxMessageSchema, type OutboxMessage } from "../../contracts/tickets-and-outbox";
import { APPROVERS_CHANNEL, approverReminderText } from "../approver-reminder";
import type { ChatNotifier } from "../ports";
import { JsonlRecords } from "./jsonl-records";

const OutboxLineSchema = OutboxMessageSchema.extend({ idempotencyKey: z.string() });
type OutboxLine = z.infer<typeof OutboxLineSchema>;

function outboxLines(dir: string): JsonlRecords<OutboxLine> {
  return new JsonlRecords(join(dir, "outbox.jsonl"), (value) => OutboxLineSchema.safeParse(value).data ?? null);
}

/** The messages sent, newest first. */
export function readOutbox(dir: string, limit = LISTED_RECORDS): OutboxMessage[] {
  return outboxLines(dir)
    .read()
    .map(({ idempotencyKey: _key, ...message }) => message)
    .reverse()
    .slice(0, limit);
}

export function localChat(dir: string): ChatNotifier {
  const lines = outboxLines(dir);
  async function post(idempotencyKey: string, findingId: string, channel: string, text: string) {
    const sent = await lines.once(idempotencyKey, (written) => ({
      id: `MSG-${written.length + 1}`,
      idempotencyKey,
      findingId,
      channel,
      text,
      sentAt: new Date().toISOString(),
    }));
    return { system: LOCAL_CHAT_SYSTEM, id: sent.id };
  }
  return {
    notify: ({ idempotencyKey, findingId, channel, text }) => post(idempotencyKey, findingId, channel, text),
    remindApprovers: (reminder) => post(reminder.idempotencyKey, reminder.finding.id, APPROVERS_CHANNEL, approverReminderText(reminder)),
  };
}
