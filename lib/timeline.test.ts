// Rows below were captured from restate-server 1.7.12 (journal v2) running this project's services.
import { describe, expect, it } from "vitest";
import { calledInvocationId, formatTarget, readableEntry, toJournalEvents, toTimeline, type JournalRow } from "./timeline";

/** A supervisor whose fast executor ran away: the orTimeout timer fired, the agent was cancelled. */
const runawaySupervisor: JournalRow[] = [
  { index: 0, entry_type: "Command: Input", name: "", appended_at: "2026-11-27T23:47:59.410Z", entry_lite_json: '{"Command":{"Input":{}}}' },
  {
    index: 1,
    entry_type: "Command: SetState",
    name: "",
    appended_at: "2026-11-27T23:47:59.447Z",
    entry_lite_json: '{"Command":{"SetState":{"key":"finding"}}}',
  },
  { index: 3, entry_type: "Command: Run", name: "", appended_at: "2026-11-27T23:47:59.447Z", entry_lite_json: '{"Command":{"Run":{"completion_id":1}}}' },
  {
    index: 13,
    entry_type: "Command: Call",
    name: "",
    appended_at: "2026-11-27T23:47:59.494Z",
    entry_lite_json:
      '{"Command":{"Call":{"invocation_id":"inv_16nU4TZDVXHu1SyRhkUclSSMPyHZcIksKd","invocation_target":{"Service":{"name":"subAgents","handler":"fastExecutor","scope":null}},"invocation_id_completion_id":4,"result_completion_id":5}}}',
  },
  {
    index: 14,
    entry_type: "Notification: CallInvocationId",
    appended_at: "2026-11-27T23:47:59.494Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"CallInvocationId"},"id":{"CompletionId":4},"result":"InvocationId"}}',
  },
  {
    index: 15,
    entry_type: "Command: Sleep",
    name: "",
    appended_at: "2026-11-27T23:47:59.497Z",
    entry_lite_json: '{"Command":{"Sleep":{"wake_up_time":1795823282496,"completion_id":6}}}',
  },
  {
    index: 16,
    entry_type: "Notification: Sleep",
    appended_at: "2026-11-27T23:48:02.496Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"Sleep"},"id":{"CompletionId":6},"result":"Void"}}',
  },
  {
    index: 17,
    entry_type: "Command: SendSignal",
    name: "",
    appended_at: "2026-11-27T23:48:02.499Z",
    entry_lite_json: '{"Command":{"SendSignal":{"target_invocation_id":"inv_16nU4TZDVXHu1SyRhkUclSSMPyHZcIksKd","signal_id":{"Index":1},"result":"Void"}}}',
  },
  {
    index: 25,
    entry_type: "Command: Call",
    name: "",
    appended_at: "2026-11-27T23:48:02.507Z",
    entry_lite_json:
      '{"Command":{"Call":{"invocation_id":"inv_1lT2rCHbKQq36ty2InSVBfwItK1Y9Dt8gp","invocation_target":{"Service":{"name":"subAgents","handler":"conservativeExecutor","scope":null}},"invocation_id_completion_id":9,"result_completion_id":10}}}',
  },
  {
    index: 26,
    entry_type: "Notification: CallInvocationId",
    appended_at: "2026-11-27T23:48:02.507Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"CallInvocationId"},"id":{"CompletionId":9},"result":"InvocationId"}}',
  },
  {
    index: 27,
    entry_type: "Command: Sleep",
    name: "",
    appended_at: "2026-11-27T23:48:02.512Z",
    entry_lite_json: '{"Command":{"Sleep":{"wake_up_time":1795823285511,"completion_id":11}}}',
  },
  {
    index: 28,
    entry_type: "Notification: Call",
    appended_at: "2026-11-27T23:48:02.512Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"Call"},"id":{"CompletionId":5},"result":"Failure"}}',
  },
  {
    index: 29,
    entry_type: "Notification: Call",
    appended_at: "2026-11-27T23:48:02.522Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"Call"},"id":{"CompletionId":10},"result":"Success"}}',
  },
  {
    index: 61,
    entry_type: "Command: Output",
    name: "",
    appended_at: "2026-11-27T23:48:02.540Z",
    entry_lite_json: '{"Command":{"Output":{"result":"Success"}}}',
  },
];

/** The cancelled fast executor's own journal: its pacing sleep is cut short by the cancel signal. */
const cancelledAgent: JournalRow[] = [
  { index: 0, entry_type: "Command: Input", name: "", appended_at: "2026-11-27T23:47:59.495Z", entry_lite_json: '{"Command":{"Input":{}}}' },
  {
    index: 1,
    entry_type: "Command: Run",
    name: "open scratch workspace",
    appended_at: "2026-11-27T23:47:59.507Z",
    entry_lite_json: '{"Command":{"Run":{"completion_id":1,"name":"open scratch workspace"}}}',
  },
  {
    index: 2,
    entry_type: "Notification: Run",
    appended_at: "2026-11-27T23:47:59.509Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"Run"},"id":{"CompletionId":1},"result":"Success"}}',
  },
  {
    index: 49,
    entry_type: "Command: Sleep",
    name: "pace tool calls",
    appended_at: "2026-11-27T23:48:02.325Z",
    entry_lite_json: '{"Command":{"Sleep":{"wake_up_time":1795823282575,"completion_id":25,"name":"pace tool calls"}}}',
  },
  {
    index: 50,
    entry_type: "Notification: Signal",
    appended_at: "2026-11-27T23:48:02.501Z",
    entry_lite_json: '{"Notification":{"ty":"Signal","id":{"SignalIndex":1},"result":"Void"}}',
  },
  {
    index: 51,
    entry_type: "Command: Run",
    name: "discard scratch workspace",
    appended_at: "2026-11-27T23:48:02.504Z",
    entry_lite_json: '{"Command":{"Run":{"completion_id":26,"name":"discard scratch workspace"}}}',
  },
  {
    index: 52,
    entry_type: "Notification: Run",
    appended_at: "2026-11-27T23:48:02.504Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"Run"},"id":{"CompletionId":26},"result":"Success"}}',
  },
  {
    index: 53,
    entry_type: "Command: Output",
    name: "",
    appended_at: "2026-11-27T23:48:02.509Z",
    entry_lite_json: '{"Command":{"Output":{"result":"Failure"}}}',
  },
];

/** A supervisor at the policy gate, and an `approve` call that peeked the promise and state. */
const gate: JournalRow[] = [
  { index: 0, entry_type: "Command: Input", name: "", appended_at: "2026-11-27T23:47:24.685Z", entry_lite_json: '{"Command":{"Input":{}}}' },
  {
    index: 51,
    entry_type: "Command: SetState",
    name: "",
    appended_at: "2026-11-27T23:47:24.908Z",
    entry_lite_json: '{"Command":{"SetState":{"key":"awaitingApprovalSince"}}}',
  },
  {
    index: 52,
    entry_type: "Command: GetPromise",
    name: "",
    appended_at: "2026-11-27T23:47:24.908Z",
    entry_lite_json: '{"Command":{"GetPromise":{"key":"approval","completion_id":17}}}',
  },
  {
    index: 53,
    entry_type: "Command: GetEagerState",
    name: "",
    appended_at: "2026-11-27T23:47:25.099Z",
    entry_lite_json: '{"Command":{"GetEagerState":{"key":"stage","result":"Success"}}}',
  },
  {
    index: 54,
    entry_type: "Command: PeekPromise",
    name: "",
    appended_at: "2026-11-27T23:47:25.101Z",
    entry_lite_json: '{"Command":{"PeekPromise":{"key":"approval","completion_id":2}}}',
  },
  {
    index: 55,
    entry_type: "Notification: PeekPromise",
    appended_at: "2026-11-27T23:47:25.101Z",
    entry_lite_json: '{"Notification":{"ty":{"Completion":"PeekPromise"},"id":{"CompletionId":2},"result":"Void"}}',
  },
];

const byIndex = (rows: JournalRow[]) => new Map(toTimeline(rows).map((entry) => [entry.index, entry]));

describe("toTimeline", () => {
  const supervisor = byIndex(runawaySupervisor);

  it("folds notifications into their commands: one entry per command", () => {
    expect(toTimeline(runawaySupervisor).map((entry) => entry.index)).toEqual([0, 1, 3, 13, 15, 17, 25, 27, 61]);
  });

  it.each([
    // index, kind, name, durationMs, completed, result
    [0, "input", null, null, true, null],
    [1, "state", "finding", null, true, null],
    [3, "run", null, null, false, null],
    [13, "call", "subAgents/fastExecutor", 3018, true, "failure"],
    [15, "sleep", null, 2999, true, "success"],
    [17, "cancel", null, null, true, "success"],
    [25, "call", "subAgents/conservativeExecutor", 15, true, "success"],
    [27, "sleep", null, null, false, null],
    [61, "output", null, null, true, "success"],
  ] as const)("entry %i is a %s named %s lasting %s ms (completed %s, result %s)", (index, kind, name, durationMs, completed, result) => {
    const entry = supervisor.get(index);
    expect(entry).toMatchObject({ kind, name, durationMs, completed, result });
  });

  it("measures a call until its result, not until the early invocation-id completion", () => {
    // 23:47:59.494 → 23:48:02.512: the timed-out fast executor's cancellation answered the call.
    expect(supervisor.get(13)?.durationMs).toBe(3018);
  });

  it("links calls and the cancel signal to the child invocation", () => {
    expect(supervisor.get(13)).toMatchObject({ childInvocationId: "inv_16nU4TZDVXHu1SyRhkUclSSMPyHZcIksKd", childTarget: "subAgents/fastExecutor" });
    expect(supervisor.get(17)).toMatchObject({ kind: "cancel", childInvocationId: "inv_16nU4TZDVXHu1SyRhkUclSSMPyHZcIksKd" });
  });

  it("offsets every entry from the invocation's first entry", () => {
    expect(supervisor.get(0)?.offsetMs).toBe(0);
    expect(supervisor.get(61)?.offsetMs).toBe(3130);
  });

  it("shows the cancellation a sub-agent received, and leaves its interrupted sleep open", () => {
    const agent = byIndex(cancelledAgent);
    expect(agent.get(50)).toMatchObject({ kind: "cancel", name: "cancellation received", entryType: "Notification: Signal" });
    expect(agent.get(49)).toMatchObject({ kind: "sleep", name: "pace tool calls", completed: false, durationMs: null });
    expect(agent.get(1)).toMatchObject({ kind: "run", name: "open scratch workspace", durationMs: 2, result: "success" });
    expect(agent.get(53)).toMatchObject({ kind: "output", result: "failure" });
  });

  it("names the promise a workflow waits on and keeps the wait open until it resolves", () => {
    const entries = byIndex(gate);
    expect(entries.get(52)).toMatchObject({ kind: "promise", name: "approval", promiseName: "approval", completed: false, durationMs: null });
    expect(entries.get(54)).toMatchObject({ kind: "promise", promiseName: "approval", completed: true, durationMs: 0 });
    expect(entries.get(53)).toMatchObject({ kind: "state", name: "stage", result: "success" });
  });

  it("sorts rows that arrive out of order and survives an entry it does not know", () => {
    const rows: JournalRow[] = [
      { index: 1, entry_type: "Command: Frobnicate", appended_at: "2026-01-01T00:00:00.010Z", entry_lite_json: "not json" },
      { index: 0, entry_type: "Command: Input", appended_at: "2026-01-01T00:00:00.000Z", entry_lite_json: '{"Command":{"Input":{}}}' },
    ];
    expect(toTimeline(rows).map((entry) => [entry.index, entry.kind, entry.offsetMs])).toEqual([
      [0, "input", 0],
      [1, "other", 10],
    ]);
  });

  it("answers an empty journal with no entries", () => {
    expect(toTimeline([])).toEqual([]);
  });
});

describe("formatTarget", () => {
  it.each([
    [{ Service: { name: "subAgents", handler: "fastExecutor", scope: null } }, "subAgents/fastExecutor"],
    [{ Workflow: { name: "RemediationWorkflow", key: "cve-1", handler: "approve" } }, "RemediationWorkflow/cve-1/approve"],
    [null, null],
    [{ Service: { name: "x" } }, null],
  ])("formats %j as %s", (target, expected) => {
    expect(formatTarget(target)).toBe(expected);
  });
});

describe("toJournalEvents", () => {
  it("turns the engine's transient errors into readable, time-ordered events", () => {
    const events = toJournalEvents([
      {
        after_journal_entry_index: 15,
        appended_at: "2026-11-27T23:48:03.193Z",
        event_type: "TransientError",
        event_json:
          '{"ty":"TransientError","error_code":500,"error_message":"error when calling \'http://127.0.0.1:33403/\': h2 pool connection error: Connection refused (os error 111)","restate_doc_error_code":"RT0010"}',
      },
      {
        after_journal_entry_index: 15,
        appended_at: "2026-11-27T23:48:03.081Z",
        event_type: "TransientError",
        event_json:
          '{"ty":"TransientError","error_code":500,"error_message":"unexpected error while reading the response body: stream closed because of a broken pipe","restate_doc_error_code":"RT0010"}',
      },
      { after_journal_entry_index: null, appended_at: "2026-11-27T23:49:00.000Z", event_type: "Paused", event_json: '{"ty":"Paused","last_failure":"boom"}' },
    ]);
    expect(events).toEqual([
      {
        afterIndex: 15,
        at: "2026-11-27T23:48:03.081Z",
        type: "TransientError",
        message: "[500] unexpected error while reading the response body: stream closed because of a broken pipe RT0010",
      },
      {
        afterIndex: 15,
        at: "2026-11-27T23:48:03.193Z",
        type: "TransientError",
        message: "[500] error when calling 'http://127.0.0.1:33403/': h2 pool connection error: Connection refused (os error 111) RT0010",
      },
      { afterIndex: null, at: "2026-11-27T23:49:00.000Z", type: "Paused", message: '{"last_failure":"boom"}' },
    ]);
  });
});

describe("readableEntry", () => {
  const bytes = (text: string) => [...new TextEncoder().encode(text)];

  it("decodes payload bytes into the JSON they carry", () => {
    const entry = JSON.stringify({
      Notification: { Completion: { Run: { completion_id: 12, result: { Success: bytes('{"agent":"conservativeExecutor","approved":true}') } } } },
    });
    expect(readableEntry(entry)).toEqual({
      Notification: { Completion: { Run: { completion_id: 12, result: { Success: { agent: "conservativeExecutor", approved: true } } } } },
    });
  });

  it("keeps non-payload number arrays (trace ids) and text that is not JSON", () => {
    const entry = JSON.stringify({ Command: { Call: { request: { span_context: { trace_id: [0, 0, 1] }, parameter: bytes("plain text") } } } });
    expect(readableEntry(entry)).toEqual({ Command: { Call: { request: { span_context: { trace_id: [0, 0, 1] }, parameter: "plain text" } } } });
  });

  it("marks bytes that are not UTF-8 as binary instead of garbling them", () => {
    expect(readableEntry(JSON.stringify({ payload: [255, 254, 0] }))).toEqual({ payload: { bytes: 3, encoding: "binary" } });
  });

  const inputWith = (headers: { name: string; value: string }[]) => JSON.stringify({ Command: { Input: { headers, payload: [] } } });
  const shownValue = (name: string, redactHeaders: string[] = []) =>
    (readableEntry(inputWith([{ name, value: "v4lue" }]), redactHeaders) as { Command: { Input: { headers: { name: string; value: string }[] } } }).Command
      .Input.headers[0];

  it.each([
    // credentials, under the names they really travel with
    ["authorization", "[redacted]"],
    ["Authorization", "[redacted]"],
    ["proxy-authorization", "[redacted]"],
    ["cookie", "[redacted]"],
    ["x-auth-token", "[redacted]"],
    ["x-api-key", "[redacted]"],
    ["x-amz-security-token", "[redacted]"],
    ["x-goog-iam-authorization-token", "[redacted]"],
    ["x-restate-auth-token", "[redacted]"],
    // anything nobody thought of is hidden too
    ["x-forwarded-for", "[redacted]"],
    ["x-custom-thing", "[redacted]"],
    // known to carry no secret
    ["content-type", "v4lue"],
    ["Accept", "v4lue"],
    ["user-agent", "v4lue"],
    ["idempotency-key", "v4lue"],
    ["traceparent", "v4lue"],
    ["x-restate-ingress-path", "v4lue"],
  ])("header %s is shown as %s, always under its own name", (name, value) => {
    expect(shownValue(name)).toEqual({ name, value });
  });

  it("hides the console's own ingress headers even when they are on the allowlist", () => {
    expect(shownValue("User-Agent", ["user-agent"])).toEqual({ name: "User-Agent", value: "[redacted]" });
    expect(shownValue("x-cluster-token", ["X-Cluster-Token"])).toEqual({ name: "x-cluster-token", value: "[redacted]" });
  });

  it("redacts headers in the Input entry and keeps the rest of it readable", () => {
    const entry = inputWith([
      { name: "x-restate-ingress-path", value: "/RemediationWorkflow/cve-1/run" },
      { name: "x-auth-token", value: "t0ken" },
    ]);
    expect(readableEntry(entry)).toEqual({
      Command: {
        Input: {
          headers: [
            { name: "x-restate-ingress-path", value: "/RemediationWorkflow/cve-1/run" },
            { name: "x-auth-token", value: "[redacted]" },
          ],
          payload: "",
        },
      },
    });
  });
});

describe("calledInvocationId", () => {
  it.each([
    [
      "a call names the invocation it started",
      '{"Command":{"Call":{"invocation_id":"inv_19eO1diEp9yT4b9Q1lI957KRwD8Ul7gjqp","invocation_target":{"Service":{"name":"subAgents","handler":"fastExecutor","scope":null}},"invocation_id_completion_id":4,"result_completion_id":5}}}',
      "inv_19eO1diEp9yT4b9Q1lI957KRwD8Ul7gjqp",
    ],
    ["another command names none", '{"Command":{"Run":{"name":"plan","completion_id":3}}}', null],
    ["a notification names none", '{"Notification":{"ty":{"Completion":"CallInvocationId"},"id":{"CompletionId":1},"result":"InvocationId"}}', null],
    ["text that is not JSON names none", "not json", null],
  ])("%s", (_case, entryLiteJson, expected) => {
    expect(calledInvocationId(entryLiteJson)).toBe(expected);
  });
});
