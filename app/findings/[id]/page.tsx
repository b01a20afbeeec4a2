import type { Metadata } from "next";
import { Suspense } from "react";
import { RunView } from "@/components/run-view";

/** Route params may arrive percent-encoded; a malformed escape stays as typed (the API will answer 404). */
function findingIdFrom(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

interface RunPageProps {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: RunPageProps): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run ${findingIdFrom(id)}` };
}

export default async function RunPage({ params }: RunPageProps) {
  const { id } = await params;
  return (
    <Suspense>
      <RunView findingId={findingIdFrom(id)} />
    </Suspense>
  );
}
