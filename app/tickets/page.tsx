import type { Metadata } from "next";
import { TicketsAndOutboxView } from "@/components/tickets-and-outbox";

export const metadata: Metadata = { title: "Tickets and outbox" };

export default function TicketsPage() {
  return <TicketsAndOutboxView />;
}
