import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { EvalRecord } from "../../contracts/schemas";
import { localEvalDataset, type EvalExample } from "./eval-dataset";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "eval-dataset-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (findingId: string) => ({ finding: { id: findingId }, outcome: "completed", decision: null }) as unknown as EvalRecord;
const examples = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as EvalExample);

it("keeps one example per idempotency key, across a restart and a line a crash cut short", async () => {
  const store = localEvalDataset({ dir });
  const first = await store.exportEval({ idempotencyKey: "inv-1/eval", findingId: "cve-1", record: record("cve-1") });
  const second = await store.exportEval({ idempotencyKey: "inv-2/eval", findingId: "cve-2", record: record("cve-2") });
  expect(await store.exportEval({ idempotencyKey: "inv-1/eval", findingId: "cve-1", record: record("cve-1") })).toEqual(first);
  appendFileSync(store.file, '{"n":3,"at":');

  const restarted = localEvalDataset({ dir });
  expect(await restarted.exportEval({ idempotencyKey: "inv-2/eval", findingId: "cve-2", record: record("cve-2") })).toEqual(second);
  const third = await restarted.exportEval({ idempotencyKey: "inv-3/eval", findingId: "cve-3", record: record("cve-3") });
  expect([first.id, second.id, third.id]).toEqual(["eval-dataset.jsonl#1", "eval-dataset.jsonl#2", "eval-dataset.jsonl#3"]);
  expect(examples(store.file).map((example) => [example.n, example.findingId, example.record.finding.id])).toEqual([
    [1, "cve-1", "cve-1"],
    [2, "cve-2", "cve-2"],
    [3, "cve-3", "cve-3"],
  ]);
});
