// Path parameters shared by the routes. Ids that reach SQL or a workflow key are held to the same
// strict patterns as the literals in admin-sql.ts.
import "server-only";
import { z } from "zod";
import { FINDING_ID_PATTERN } from "@/restate/contracts/schemas";
import { INVOCATION_ID_PATTERN } from "@/restate/contracts/ids";

const findingId = z.string().regex(FINDING_ID_PATTERN, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
const invocationId = z.string().regex(INVOCATION_ID_PATTERN, "must be an invocation id such as inv_1abc…");

export const FindingParamsSchema = z.object({ id: findingId });
export const InvocationParamsSchema = z.object({ invocationId });
export const JournalEntryParamsSchema = z.object({
  invocationId,
  index: z.coerce
    .number({ error: "must be a journal entry index (0, 1, 2…)" })
    .int("must be a journal entry index (0, 1, 2…)")
    .min(0, "must be a journal entry index (0, 1, 2…)")
    .max(10_000_000, "is past any journal's end"),
});
