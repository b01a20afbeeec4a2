// The embedded tracker and chat (ISSUE_TRACKER=local, CHAT=local) under the real restate-server: a
// signed-off run leaves one ticket and one message, also when the services die at the ticket step.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { TicketsAndOutboxService } from "../console/tickets-and-outbox";
import { SERVICE_NAMES } from "../contracts/services";
import { LOCAL_CHAT_SYSTEM, LOCAL_TRACKER_SYSTEM } from "../contracts/tickets-and-outbox";
import { CRASH_SERVICES_ENV, finding, startTestStack, type TestStack } from "./harness";

let stack: TestStack;
beforeAll(async () => {
  // The pull request of a "broken-" finding is refused for good (the stubbed code host), so its ticket is compensated.
  const faults = [{ system: "github", action: "open-pull-request", findingPrefix: "broken-", mode: "permanent" }];
  stack = await startTestStack({ servicesEnv: { ...CRASH_SERVICES_ENV, ISSUE_TRACKER: "local", CHAT: "local", STUB_FAULTS: JSON.stringify(faults) } });
});
afterAll(async () => {
  await stack?.stop();
});

/** The lines of one of the embedded stores that belong to a run. */
function storeLines(file: string, findingId: string): Record<string, unknown>[] {
  const path = join(stack.dir, "outside", file);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.includes(findingId))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

it("leaves exactly one ticket and one message for a signed-off run when the services are killed at the ticket step", async () => {
  const dbFinding = finding({ severity: "low", description: "SQL injection in session store", repo: "prod-db" });
  await stack.submitAs("submitter@corp.com", dbFinding);
  await stack.waitForStage(dbFinding.id, "awaiting-approval");
  await stack.approve(dbFinding.id, { approved: true, approver: "dba@corp.com", comment: "ok" });

  // The kill lands the moment the ticket is in the store: before or just after the step's result is
  // journaled, the retried step must find it there and write nothing new.
  await vi.waitFor(() => expect(storeLines("tickets.jsonl", dbFinding.id)).toHaveLength(1), { timeout: 120_000, interval: 5 });
  await stack.restartServices("kill");

  const result = await stack.workflow(dbFinding.id).workflowAttach();
  expect(result.outcome).toBe("completed");
  const status = await stack.status(dbFinding.id);

  expect(storeLines("tickets.jsonl", dbFinding.id)).toHaveLength(1);
  expect(storeLines("outbox.jsonl", dbFinding.id)).toHaveLength(1);
  // What the console lists, read through the services as the console reads it.
  const listed = await stack.ingress.serviceClient<TicketsAndOutboxService>({ name: SERVICE_NAMES.ticketsAndOutbox }).list();
  expect(listed.tracker.adapter).toBe("local");
  const tickets = listed.tracker.tickets.filter((ticket) => ticket.findingId === dbFinding.id);
  const messages = listed.chat.messages.filter((message) => message.findingId === dbFinding.id);
  expect(tickets).toHaveLength(1);
  expect(messages).toHaveLength(1);
  expect(status.ticket).toEqual({ system: LOCAL_TRACKER_SYSTEM, id: tickets[0]?.id });
  expect(status.notification).toEqual({ system: LOCAL_CHAT_SYSTEM, id: messages[0]?.id });
  expect(tickets[0]?.closed).toBeNull();
  expect(messages[0]?.text).toContain(tickets[0]?.id);
});

it("gives a ticket step retried after its write the ticket already written, and writes nothing new", async () => {
  const dbFinding = finding({ severity: "low", description: "SQL injection in session store", repo: "prod-db" });
  await stack.submitAs("submitter@corp.com", dbFinding);
  const waiting = await stack.waitForStage(dbFinding.id, "awaiting-approval");
  const invocationId = waiting.identity?.invocationId;
  expect(invocationId).toBeTruthy();
  // What a first attempt leaves when the process dies after the write, before its result is journaled.
  mkdirSync(join(stack.dir, "outside"), { recursive: true });
  const written = {
    kind: "opened",
    id: "LOCAL-900",
    idempotencyKey: `${invocationId}/ticket`,
    findingId: dbFinding.id,
    title: "t",
    body: "b",
    at: new Date().toISOString(),
  };
  appendFileSync(join(stack.dir, "outside", "tickets.jsonl"), `${JSON.stringify(written)}\n`);

  await stack.approve(dbFinding.id, { approved: true, approver: "dba@corp.com", comment: "ok" });
  expect((await stack.workflow(dbFinding.id).workflowAttach()).outcome).toBe("completed");
  expect((await stack.status(dbFinding.id)).ticket).toEqual({ system: LOCAL_TRACKER_SYSTEM, id: "LOCAL-900" });
  expect(storeLines("tickets.jsonl", dbFinding.id)).toHaveLength(1);
});

it("closes the run's ticket with the reason when its pull request is refused for good, and sends no message", async () => {
  const broken = finding({ id: `broken-${Date.now().toString(36)}` });
  await stack.submitAs("submitter@corp.com", broken);
  const failure = await stack
    .workflow(broken.id)
    .workflowAttach()
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(Error);
  expect((failure as Error).message).toMatch(/Compensated: closed ticket LOCAL-\d+/);
  const listed = await stack.ingress.serviceClient<TicketsAndOutboxService>({ name: SERVICE_NAMES.ticketsAndOutbox }).list();
  const tickets = listed.tracker.tickets.filter((ticket) => ticket.findingId === broken.id);
  expect(tickets).toEqual([expect.objectContaining({ closed: { at: expect.any(String), reason: "remediation aborted" } })]);
  expect(listed.chat.messages.filter((message) => message.findingId === broken.id)).toEqual([]);
});
