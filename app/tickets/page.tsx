import type { Metadata } from "next";
import { PageIntro } from "@/components/page-intro";
import { TicketsAndOutboxView } from "@/components/tickets-and-outbox";

export const metadata: Metadata = { title: "Tickets and outbox" };

export default function TicketsPage() {
  return (
    <div className="space-y-4">
      <PageIntro title="Tickets and outbox">
        The tickets runs opened in the embedded tracker and the messages they sent through the embedded chat, newest first.
      </PageIntro>
      <TicketsAndOutboxView />
    </div>
  );
}
