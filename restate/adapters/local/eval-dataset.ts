// The embedded eval store (EVAL_STORE=local): a JSONL dataset under OUTSIDE_WORLD_DIR, one line per
// run (finding, attempts, plans with their diffs, verdicts, outcome, the human decision). A retried
// export with the same idempotency key appends nothing and returns the first line's reference.
import { join } from "node:path";
import type { EvalRecord, ExternalRef } from "../../contracts/schemas";
import type { EvalStore } from "../ports";
import { JsonlFile } from "./jsonl-file";

export const EVAL_DATASET_FILE = "eval-dataset.jsonl";

export interface EvalExample {
  /** 1-based line of the dataset. */
  n: number;
  at: string;
  findingId: string;
  idempotencyKey: string;
  record: EvalRecord;
}

const refOf = (example: EvalExample): ExternalRef => ({ system: "eval-dataset", id: `${EVAL_DATASET_FILE}#${example.n}` });

export function localEvalDataset({ dir, now = () => new Date() }: { dir: string; now?: () => Date }): EvalStore & { readonly file: string } {
  const dataset = new JsonlFile<EvalExample>(join(dir, EVAL_DATASET_FILE));
  const refs = new Map<string, ExternalRef>();
  let count = 0;

  return {
    file: dataset.file,
    // Synchronous from the check to the append: concurrent exports of this process cannot interleave.
    async exportEval({ idempotencyKey, findingId, record }) {
      if (dataset.changedSinceRead()) {
        refs.clear();
        const examples = dataset.read();
        for (const example of examples) refs.set(example.idempotencyKey, refOf(example));
        count = examples.length;
      }
      const existing = refs.get(idempotencyKey);
      if (existing) return existing;
      const example: EvalExample = { n: count + 1, at: now().toISOString(), findingId, idempotencyKey, record };
      dataset.append(example);
      count += 1;
      refs.set(idempotencyKey, refOf(example));
      return refOf(example);
    },
  };
}
