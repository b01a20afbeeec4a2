// Where the console shows the records the embedded tracker and chat keep, as plain functions (no zod):
// the run page's first load links to them.
import type { ExternalRef } from "./schemas";

/** The `system` of the references the embedded adapters hand out. */
export const LOCAL_TRACKER_SYSTEM = "local-tracker";
export const LOCAL_CHAT_SYSTEM = "local-chat";

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
