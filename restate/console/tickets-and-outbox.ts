// TicketsAndOutbox: the console's read of the embedded tracker's tickets and the embedded chat's
// outbox, so the console never opens the services' files. A port on a real system lists nothing here:
// its records are in that system.
import * as restate from "@restatedev/restate-sdk";
import { readOutbox } from "../adapters/local/local-chat";
import { readTickets } from "../adapters/local/local-tracker";
import { config } from "../config";
import { SERVICE_NAMES } from "../contracts/services";
import { TicketsAndOutboxSchema, type TicketsAndOutbox } from "../contracts/tickets-and-outbox";

export const ticketsAndOutbox = restate.service({
  name: SERVICE_NAMES.ticketsAndOutbox,
  handlers: {
    // A read with no other step: nothing is journaled before it that a replay would have to match.
    list: restate.handlers.handler({ output: restate.serde.schema(TicketsAndOutboxSchema) }, async (): Promise<TicketsAndOutbox> => {
      const dir = config.OUTSIDE_WORLD_DIR;
      return {
        tracker: { adapter: config.ISSUE_TRACKER, tickets: config.ISSUE_TRACKER === "local" ? readTickets(dir) : [] },
        chat: { adapter: config.CHAT, messages: config.CHAT === "local" ? readOutbox(dir) : [] },
      };
    }),
  },
});

export type TicketsAndOutboxService = typeof ticketsAndOutbox;
