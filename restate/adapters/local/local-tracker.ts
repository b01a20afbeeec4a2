// The embedded issue tracker (ISSUE_TRACKER=local): tickets in tickets.jsonl under OUTSIDE_WORLD_DIR,
// one line when a ticket opens and one when a compensation closes it. The console lists them through
// TicketsAndOutbox (restate/console/tickets-and-outbox.ts).
import { join } from "node:path";
import { z } from "zod";
import { LISTED_RECORDS, LOCAL_TRACKER_SYSTEM, type TicketRecord } from "../../contracts/tickets-and-outbox";
import { PermanentAdapterError, type IssueTracker } from "../ports";
import { JsonlRecords } from "./jsonl-records";

const TicketLineSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("opened"),
    id: z.string(),
    idempotencyKey: z.string(),
    findingId: z.string(),
    title: z.string(),
    body: z.string(),
    at: z.string(),
  }),
  z.object({ kind: z.literal("closed"), id: z.string(), idempotencyKey: z.string(), findingId: z.string(), reason: z.string(), at: z.string() }),
]);
type TicketLine = z.infer<typeof TicketLineSchema>;

function ticketLines(dir: string): JsonlRecords<TicketLine> {
  return new JsonlRecords(join(dir, "tickets.jsonl"), (value) => TicketLineSchema.safeParse(value).data ?? null);
}

/** The tickets, each with its closing if it has one, newest first. */
export function readTickets(dir: string, limit = LISTED_RECORDS): TicketRecord[] {
  const lines = ticketLines(dir).read();
  const closings = new Map(lines.flatMap((line) => (line.kind === "closed" ? [[line.id, line] as const] : [])));
  return lines
    .flatMap((line): TicketRecord[] => {
      if (line.kind !== "opened") return [];
      const closing = closings.get(line.id);
      return [
        {
          id: line.id,
          findingId: line.findingId,
          title: line.title,
          body: line.body,
          openedAt: line.at,
          closed: closing ? { at: closing.at, reason: closing.reason } : null,
        },
      ];
    })
    .reverse()
    .slice(0, limit);
}

export function localIssueTracker(dir: string): IssueTracker {
  const lines = ticketLines(dir);
  return {
    async openTicket({ idempotencyKey, findingId, title, body }) {
      const opened = await lines.once(idempotencyKey, (written) => ({
        kind: "opened",
        id: `LOCAL-${written.filter((line) => line.kind === "opened").length + 1}`,
        idempotencyKey,
        findingId,
        title,
        body,
        at: new Date().toISOString(),
      }));
      return { system: LOCAL_TRACKER_SYSTEM, id: opened.id };
    },
    async closeTicket({ idempotencyKey, findingId, ticket, reason }) {
      if (ticket.system !== LOCAL_TRACKER_SYSTEM || !lines.read().some((line) => line.kind === "opened" && line.id === ticket.id)) {
        throw new PermanentAdapterError(`the local tracker has no ticket ${ticket.system}/${ticket.id} to close`);
      }
      await lines.once(idempotencyKey, () => ({ kind: "closed", id: ticket.id, idempotencyKey, findingId, reason, at: new Date().toISOString() }));
    },
  };
}
