// The run list's keyset cursor: the (created_at, invocation id) of the last row of a page, opaque to
// the browser (base64url JSON). A cursor that does not decode to exactly that is invalid input.
import { z } from "zod";
import { INVOCATION_ID_PATTERN } from "@/restate/contracts/ids";
import { isEngineTimestamp } from "./admin-sql";

export const ListCursorSchema = z.object({
  createdAt: z.string().refine(isEngineTimestamp),
  id: z.string().regex(INVOCATION_ID_PATTERN),
});
export type ListCursor = z.infer<typeof ListCursorSchema>;

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");
}

/** null when the text is not a cursor this server issued. */
export function decodeCursor(text: string): ListCursor | null {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown[];
    const parsed = ListCursorSchema.safeParse({ createdAt, id });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
