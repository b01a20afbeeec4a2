// `npm run index:backfill`: puts the runs started before the run list's index existed into it
// (lib/server/run-index.ts), once after upgrading; safe to repeat. Reaches Restate as the console does
// (RESTATE_INGRESS, RESTATE_ADMIN and their _HEADERS).
import { backfillRunIndex } from "../lib/server/run-index";

try {
  const { runs, indexed } = await backfillRunIndex();
  console.log(`run index: ${indexed} of ${runs} runs indexed; the rest were refused at the door (listed by ?stage=refused).`);
} catch (error) {
  console.error(`run index backfill failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
