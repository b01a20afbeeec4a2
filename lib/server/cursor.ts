// The run list's keyset cursor, opaque to the browser (base64url JSON): the start time and invocation
// id of the last run of a page, and the index bucket that holds it (restate/console/run-index.ts);
// without a bucket for the refused submissions, which are paged on the engine's (created_at, id).
// A cursor that does not decode to exactly that is invalid input.
import { z } from "zod";
import { INVOCATION_ID_PATTERN } from "@/restate/contracts/ids";
import { isEngineTimestamp } from "./admin-sql";

export const ListCursorSchema = z.object({
  createdAt: z.string().refine(isEngineTimestamp),
  id: z.string().regex(INVOCATION_ID_PATTERN),
  bucket: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type ListCursor = z.infer<typeof ListCursorSchema>;

export function encodeCursor(cursor: ListCursor): string {
  const fields = cursor.bucket === undefined ? [cursor.createdAt, cursor.id] : [cursor.createdAt, cursor.id, cursor.bucket];
  return Buffer.from(JSON.stringify(fields)).toString("base64url");
}

/** null when the text is not a cursor this server issued. */
export function decodeCursor(text: string): ListCursor | null {
  try {
    const fields = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(fields) || fields.length < 2 || fields.length > 3) return null;
    const [createdAt, id, bucket] = fields as unknown[];
    const parsed = ListCursorSchema.safeParse({ createdAt, id, bucket });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
