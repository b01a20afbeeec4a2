// The embedded tracker and chat: one record per idempotency key, whatever retries or a new process do.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { LOCAL_CHAT_SYSTEM, LOCAL_TRACKER_SYSTEM, consoleLinkOf } from "../../contracts/tickets-and-outbox";
import { PermanentAdapterError } from "../ports";
import { localChat, readOutbox } from "./local-chat";
import { localIssueTracker, readTickets } from "./local-tracker";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "local-adapters-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(join(dir, file), "utf8").trim().split("\n");
const open = (key: string, findingId = "f-1") =>
  localIssueTracker(dir).openTicket({ idempotencyKey: key, findingId, title: `fix ${findingId}`, body: "details" });

it("opens a ticket once per idempotency key, also when a new process retries the step", async () => {
  const first = await open("inv-1/ticket");
  // A fresh adapter reads what the crashed process wrote: the same ticket, no second line.
  const retried = await open("inv-1/ticket");
  expect(retried).toEqual(first);
  expect(first).toEqual({ system: LOCAL_TRACKER_SYSTEM, id: "LOCAL-1" });
  expect(lines("tickets.jsonl")).toHaveLength(1);
  expect(readTickets(dir)).toEqual([expect.objectContaining({ id: "LOCAL-1", findingId: "f-1", title: "fix f-1", closed: null })]);
});

it("serialises concurrent writes: distinct keys get distinct tickets, one key gets one", async () => {
  const tracker = localIssueTracker(dir);
  const refs = await Promise.all([
    ...Array.from({ length: 12 }, (_, n) => tracker.openTicket({ idempotencyKey: `inv-${n}/ticket`, findingId: `f-${n}`, title: "t", body: "b" })),
    ...Array.from({ length: 5 }, () => tracker.openTicket({ idempotencyKey: "inv-same/ticket", findingId: "f-same", title: "t", body: "b" })),
  ]);
  expect(new Set(refs.map((ref) => ref.id)).size).toBe(13);
  expect(lines("tickets.jsonl")).toHaveLength(13);
});

it("closes a ticket with the reason, once, and refuses one it never opened", async () => {
  const tracker = localIssueTracker(dir);
  const ticket = await tracker.openTicket({ idempotencyKey: "inv-1/ticket", findingId: "f-1", title: "t", body: "b" });
  await tracker.closeTicket({ idempotencyKey: "inv-1/ticket-close", findingId: "f-1", ticket, reason: "remediation aborted" });
  await tracker.closeTicket({ idempotencyKey: "inv-1/ticket-close", findingId: "f-1", ticket, reason: "remediation aborted" });
  expect(readTickets(dir)[0]?.closed).toEqual({ at: expect.any(String), reason: "remediation aborted" });
  expect(lines("tickets.jsonl")).toHaveLength(2);
  await expect(
    tracker.closeTicket({ idempotencyKey: "x/ticket-close", findingId: "f-1", ticket: { system: "jira", id: "SEC-1" }, reason: "r" }),
  ).rejects.toBeInstanceOf(PermanentAdapterError);
});

it("skips a line torn by a crash and writes the next record on a line of its own", async () => {
  await open("inv-1/ticket");
  appendFileSync(join(dir, "tickets.jsonl"), '{"kind":"opened","id":"LOCAL-2","idem');
  const next = await open("inv-2/ticket", "f-2");
  expect(next.id).toBe("LOCAL-2");
  expect(readTickets(dir).map((ticket) => ticket.id)).toEqual(["LOCAL-2", "LOCAL-1"]);
});

it("keeps each message once in the outbox, newest first, and the run page links both records to the console", async () => {
  const chat = localChat(dir);
  const sent = await chat.notify({ idempotencyKey: "inv-1/notification", findingId: "f-1", channel: "#sec", text: "in review" });
  await chat.notify({ idempotencyKey: "inv-1/notification", findingId: "f-1", channel: "#sec", text: "in review" });
  await chat.notify({ idempotencyKey: "inv-2/notification", findingId: "f-2", channel: "#sec", text: "second" });
  expect(sent).toEqual({ system: LOCAL_CHAT_SYSTEM, id: "MSG-1" });
  expect(readOutbox(dir).map((message) => [message.id, message.findingId, message.text])).toEqual([
    ["MSG-2", "f-2", "second"],
    ["MSG-1", "f-1", "in review"],
  ]);
  expect(consoleLinkOf(sent)).toBe("/tickets#message-MSG-1");
  expect(consoleLinkOf({ system: LOCAL_TRACKER_SYSTEM, id: "LOCAL-3" })).toBe("/tickets#ticket-LOCAL-3");
  expect(consoleLinkOf({ system: "jira", id: "SEC-1", url: "https://jira.example.com/browse/SEC-1" })).toBeNull();
});
