// The models failing: every adapter call goes through one wrapper with a bounded retry policy, so a
// model that refuses for good ends its rung after one attempt, and one that keeps timing out ends it
// after a bounded number of attempts; a model that recovers is retried until it answers.
import { afterAll, beforeAll, expect, it } from "vitest";
import { MODEL_RETRY } from "../../adapters/call-adapter";
import { LADDER_AGENTS } from "../../contracts/rungs";
import { effects, finding, startTestStack, type TestStack } from "../harness";

/** Well above MODEL_RETRY's first backoff (500 ms), so only honouring Retry-After explains the wait. */
const RETRY_AFTER_MS = 2_500;

const FAULTS = [
  { system: "llm", action: "executor-turn", findingPrefix: "refused-", mode: "permanent" },
  { system: "llm", action: "judge-review", findingPrefix: "overloaded-", mode: "transient", times: 1_000 },
  { system: "llm", action: "executor-turn", findingPrefix: "hiccup-", mode: "transient", times: 2 },
  { system: "llm", action: "judge-review", findingPrefix: "ratelimited-", mode: "retry-later", times: 1, retryAfterMs: RETRY_AFTER_MS },
];

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ servicesEnv: { STUB_FAULTS: JSON.stringify(FAULTS) } });
});
afterAll(async () => {
  await stack?.stop();
});

async function failureOf(findingId: string): Promise<Error | null> {
  return stack
    .workflow(findingId)
    .workflowAttach()
    .then(
      () => null,
      (error: unknown) => error as Error,
    );
}

it("ends each rung after one attempt when the model refuses for good, and the run fails with the model's reason", async () => {
  const refused = finding({ id: `refused-${Date.now()}` });
  await stack.submitAs("submitter@corp.com", refused);
  const failure = await failureOf(refused.id);
  expect(failure?.message).toMatch(/No agent produced an acceptable plan/);

  const status = await stack.status(refused.id);
  expect(status.stage).toBe("failed");
  expect(status.attempts.map((attempt) => [attempt.agent, attempt.result])).toEqual(LADDER_AGENTS.map((agent) => [agent, "failed"]));
  for (const attempt of status.attempts) expect(attempt.outcome).toMatch(/^failed: llm refused executor-turn/);
  const ledger = stack.ledger(refused.id);
  // One call per agent, never retried, and each agent discarded the workspace it had opened.
  expect(ledger.filter((entry) => entry.action === "executor-turn:failed")).toHaveLength(LADDER_AGENTS.length);
  expect(effects(ledger, "executor-turn")).toHaveLength(0);
  expect(effects(ledger, "discard-workspace")).toHaveLength(LADDER_AGENTS.length);
  expect(effects(ledger, "open-ticket")).toHaveLength(0);
});

it("retries a judge that keeps timing out a bounded number of times, then fails the rung naming the step", async () => {
  const overloaded = finding({ id: `overloaded-${Date.now()}` });
  await stack.submitAs("submitter@corp.com", overloaded);
  const failure = await failureOf(overloaded.id);
  expect(failure?.message).toMatch(/No agent produced an acceptable plan/);

  const status = await stack.status(overloaded.id);
  expect(status.stage).toBe("failed");
  expect(status.verdicts).toHaveLength(0);
  expect(status.attempts.map((attempt) => attempt.result)).toEqual(LADDER_AGENTS.map(() => "failed"));
  expect(status.attempts[0]?.outcome).toMatch(
    new RegExp(
      `^failed: the judge could not review the plan: judge plan of ${LADDER_AGENTS[0]} gave up after ${MODEL_RETRY.maxRetryAttempts} attempts: .*timed out`,
    ),
  );
  const judgeCalls = stack.ledger(overloaded.id).filter((entry) => entry.action === "judge-review:failed");
  expect(judgeCalls).toHaveLength(MODEL_RETRY.maxRetryAttempts * LADDER_AGENTS.length);
});

it("retries a model call that fails for a moment, and the run goes on as if nothing happened", async () => {
  const hiccup = finding({ id: `hiccup-${Date.now()}` });
  await stack.submitAs("submitter@corp.com", hiccup);
  const result = await stack.workflow(hiccup.id).workflowAttach();

  expect(result.outcome).toBe("completed");
  expect(result.attempts.map((attempt) => [attempt.agent, attempt.result])).toEqual([[LADDER_AGENTS[0], "accepted"]]);
  const ledger = stack.ledger(hiccup.id);
  // The first turn failed twice and was retried; then each turn (change and test, hand in) ran once.
  const turn = (n: number) => `${hiccup.id}/${LADDER_AGENTS[0]}/${n}`;
  expect(ledger.filter((entry) => entry.action === "executor-turn:failed").map((entry) => entry.idempotencyKey)).toEqual([turn(1), turn(1)]);
  expect(effects(ledger, "executor-turn").map((entry) => entry.idempotencyKey)).toEqual([turn(1), turn(2)]);
  expect(effects(ledger, "open-pull-request")).toHaveLength(1);
});

it("waits what a rate-limited model asks before calling it again", async () => {
  const limited = finding({ id: `ratelimited-${Date.now()}` });
  await stack.submitAs("submitter@corp.com", limited);
  const result = await stack.workflow(limited.id).workflowAttach();

  expect(result.outcome).toBe("completed");
  const ledger = stack.ledger(limited.id);
  const refused = ledger.find((entry) => entry.action === "judge-review:failed")!;
  const answered = effects(ledger, "judge-review")[0]!;
  expect(Date.parse(answered.at) - Date.parse(refused.at)).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
});
