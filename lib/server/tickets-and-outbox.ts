// The embedded tracker's tickets and the embedded chat's outbox, as the services read them
// (TicketsAndOutbox in restate/console/tickets-and-outbox.ts): the console never opens their files.
import "server-only";
import type { TicketsAndOutbox } from "@/lib/api/contracts";
import { restateIngress } from "./restate-ingress";
import type { TicketsAndOutboxService } from "@/restate";
import { SERVICE_NAMES } from "@/restate/contracts/services";

export async function listTicketsAndOutbox(): Promise<TicketsAndOutbox> {
  return await restateIngress().serviceClient<TicketsAndOutboxService>({ name: SERVICE_NAMES.ticketsAndOutbox }).list();
}
