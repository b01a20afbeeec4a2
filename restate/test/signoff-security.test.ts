// Sign-off nobody can forge, against a real restate-server: only decisions the console signed count,
// the sign-off rules hold, every attempt is in the run's trail, and only our server may call the services.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signApproval, signSubmission } from "../identity/signed-claims";
import { readFileSync } from "node:fs";
import { auditRecordsIn, verifyAuditRecords } from "../../scripts/audit";
import { parseRecordVerifyKey } from "../identity/record-signatures";
import { finding, startTestStack, type TestStack } from "./harness";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const approvePath = (id: string) => `/RemediationWorkflow/${id}/approve`;
const secret = () => stack.secrets.approvalSigningSecret;
/** Restate's error body is {"code","message"}: match on the message as written. */
const messageOf = (body: unknown) => (body as { message?: string }).message ?? JSON.stringify(body);

async function gated(severity: "high" | "critical" = "high", submittedBy = "sam") {
  const gatedFinding = finding({ severity, description: "exposed credentials in CI logs", repo: "ci-infra" });
  await stack.submitAs(submittedBy, gatedFinding);
  await stack.waitForStage(gatedFinding.id, "awaiting-approval");
  return gatedFinding.id;
}

/** The run still waits at the gate, with no decision recorded. */
async function expectStillWaiting(id: string) {
  const status = await stack.status(id);
  expect(status.stage).toBe("awaiting-approval");
  expect(status.approval).toBeNull();
  expect(status.approvals).toEqual([]);
}

type Forge = (id: string, gateId: string) => unknown;

describe("a forged approval sent straight to the ingress", () => {
  it.each<[string, Forge, RegExp, "trail" | "uncredentialed"]>([
    ["no signature at all", () => ({ approved: true, approver: "mallory@corp.com", comment: "trust me" }), /not signed/, "uncredentialed"],
    [
      "a signature made with another secret",
      (id, gateId) => signApproval("x".repeat(64), { findingId: id, gateId, approved: true, approver: "mallory@corp.com" }),
      /signature does not match/,
      "uncredentialed",
    ],
    [
      "a genuine signature replayed after it expired",
      (id, gateId) => signApproval(secret(), { findingId: id, gateId, approved: true, approver: "ana" }, new Date(Date.now() - 10 * 60_000)),
      /signature expired/,
      "trail",
    ],
    [
      "a genuine signature for another finding",
      (_id, gateId) => signApproval(secret(), { findingId: "some-other-finding", gateId, approved: true, approver: "ana" }),
      /signature is for finding "some-other-finding"/,
      "trail",
    ],
    [
      "a genuine signature with the approver changed",
      (id, gateId) => ({ ...signApproval(secret(), { findingId: id, gateId, approved: true, approver: "ana" }), approver: "mallory@corp.com" }),
      /signature does not match/,
      "uncredentialed",
    ],
  ])("with %s is refused, changes nothing, and is recorded", async (_, forge, reason, where) => {
    const id = await gated();
    const forged = await stack.post(approvePath(id), forge(id, await stack.gateOf(id)));
    expect(forged.status).toBe(401);
    expect(messageOf(forged.body)).toMatch(/Sign-off refused/);
    expect(messageOf(forged.body)).toMatch(reason);

    await expectStillWaiting(id);
    const [run] = await stack.sql<{ status: string }>(`SELECT status FROM sys_invocation WHERE target = 'RemediationWorkflow/${id}/run'`);
    expect(run?.status).toBe("suspended");
    // A claim the console really made (expired, for another finding) names an operator: it goes on the
    // trail. One nobody vouched for is counted apart, so a flood of them cannot push real entries out.
    const recorded = await stack.waitFor(id, (status) => status.signoffAttempts.length + status.uncredentialedAttempts.count > 0);
    const refused = expect.objectContaining({ accepted: false, reason: expect.stringMatching(reason) });
    if (where === "trail") expect(recorded.signoffAttempts).toEqual([refused]);
    else expect(recorded.uncredentialedAttempts).toEqual({ count: 1, recent: [refused] });

    // A real sign-off still works afterwards and is recorded on the trail.
    await stack.approve(id, { approved: true, approver: "ana" });
    const result = await stack.workflow(id).workflowAttach();
    expect(result).toMatchObject({ outcome: "completed", approval: { approver: "ana" } });
    const done = await stack.waitFor(id, (status) => status.signoffAttempts.some((attempt) => attempt.accepted));
    expect(done.signoffAttempts.map((attempt) => attempt.accepted)).toEqual(where === "trail" ? [false, true] : [true]);
  });
});

describe("sign-off rules", () => {
  it("refuses the submitter's own approval and records the submitter", async () => {
    const id = await gated("high", "sam");
    expect((await stack.status(id)).submittedBy).toBe("sam");
    const self = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, gateId: await stack.gateOf(id), approved: true, approver: "sam" }));
    expect(self.status).toBe(403);
    expect(messageOf(self.body)).toMatch(/sam submitted this finding and cannot approve it/);
    await expectStillWaiting(id);
    await stack.approve(id, { approved: true, approver: "ana" });
    expect((await stack.workflow(id).workflowAttach()).approval?.approver).toBe("ana");
  });

  it("keeps a critical finding at the gate after one approval and lets it on after a second, different approver", async () => {
    const id = await gated("critical");
    const signoff = (await stack.status(id)).signoff;
    expect(signoff?.approvalsRequired).toBe(2);

    await stack.approve(id, { approved: true, approver: "ana", comment: "first look" });
    const afterOne = await stack.waitFor(id, (status) => status.approvals.length === 1);
    expect(afterOne.stage).toBe("awaiting-approval");
    expect(afterOne.ticket).toBeNull();

    const same = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, gateId: await stack.gateOf(id), approved: true, approver: "ana" }));
    expect(same.status).toBe(403);
    expect(messageOf(same.body)).toMatch(/different approver/);
    expect((await stack.status(id)).stage).toBe("awaiting-approval");

    await stack.approve(id, { approved: true, approver: "bo", comment: "second look" });
    const result = await stack.workflow(id).workflowAttach();
    expect(result.outcome).toBe("completed");
    expect(result.approvals.map((approval) => approval.approver)).toEqual(["ana", "bo"]);
    const audit = stack.ledger(id).find((entry) => entry.action === "export-audit-record" && !entry.duplicate);
    expect(audit?.detail).toMatchObject({ submittedBy: "sam", approvals: [{ approver: "ana" }, { approver: "bo" }] });
  });

  it("refuses a replay of an accepted signature as the second approval of a critical finding", async () => {
    const id = await gated("critical");
    const genuine = signApproval(secret(), { findingId: id, gateId: await stack.gateOf(id), approved: true, approver: "ana" });
    expect((await stack.post(approvePath(id), genuine)).status).toBe(200);
    await stack.waitFor(id, (status) => status.approvals.length === 1);
    const replayed = await stack.post(approvePath(id), genuine);
    expect(replayed.status).toBe(409);
    expect(messageOf(replayed.body)).toMatch(/already used/);
    expect((await stack.status(id)).stage).toBe("awaiting-approval");
  });

  it("refuses a rejection without a comment", async () => {
    const id = await gated();
    const bare = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, gateId: await stack.gateOf(id), approved: false, approver: "ana" }));
    expect(bare.status).toBe(403);
    expect(messageOf(bare.body)).toMatch(/rejection needs a comment/);
    await expectStillWaiting(id);
  });

  it("records a finding sent straight to the ingress as submitted by nobody known, and refuses a forged submitter", async () => {
    const anonymous = finding({ severity: "low" });
    await stack.workflow(anonymous.id).workflowSubmit(anonymous);
    expect((await stack.waitForStage(anonymous.id, "completed")).submittedBy).toBe("ingress (unauthenticated)");

    const forged = finding({ severity: "low" });
    const response = await stack.post(`/RemediationWorkflow/${forged.id}/run`, {
      ...forged,
      submission: { ...signSubmission("y".repeat(64), { findingId: forged.id, submittedBy: "ana" }) },
    });
    expect(response.status).toBe(401);
    expect(messageOf(response.body)).toMatch(/Submission refused: the signature does not match/);
  });
});

describe("the sign-off trail", () => {
  it("cannot be written through the ingress", async () => {
    const id = await gated();
    const injected = await stack.post(`/SignoffAttempts/${id}/record`, {
      at: new Date().toISOString(),
      approver: "mallory@corp.com",
      approved: true,
      accepted: true,
      reason: "approval 1 of 1",
      signed: true,
    });
    expect(injected.status).toBeGreaterThanOrEqual(400);
    expect((await stack.status(id)).signoffAttempts).toEqual([]);
  });
});

describe("a refused sign-off is dead", () => {
  it("cannot be replayed once the gate opens: its nonce was spent when it was refused", async () => {
    // Runaway first rung: the run spends a few seconds planning before it reaches the gate.
    const early = finding({ severity: "high", description: "SSRF in the image proxy", repo: "web-monorepo" });
    await stack.submitAs("sam", early);
    await stack.waitForStage(early.id, "planning");
    const claim = signApproval(secret(), { findingId: early.id, gateId: await stack.gateOf(early.id), approved: true, approver: "ana" });
    const refused = await stack.post(approvePath(early.id), claim);
    expect(refused.status).toBe(409);

    await stack.waitForStage(early.id, "awaiting-approval");
    const replayed = await stack.post(approvePath(early.id), claim);
    expect(replayed.status).toBe(409);
    expect(messageOf(replayed.body)).toMatch(/already used once/);
    await expectStillWaiting(early.id);
  });

  it("a fresh claim signed for no gate, or another gate, never decides this one", async () => {
    const id = await gated();
    for (const gateId of ["", "some-other-gate"]) {
      const stray = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, gateId, approved: true, approver: "ana" }));
      expect(stray.status).toBe(409);
      expect(messageOf(stray.body)).toMatch(/before the gate opened or for another gate/);
    }
    await expectStillWaiting(id);
  });
});

describe("separation of duties for findings sent straight to the ingress", () => {
  it("an unsigned submission's gate takes one more, different approver, and says why", async () => {
    const direct = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    await stack.workflow(direct.id).workflowSubmit(direct);
    const waiting = await stack.waitForStage(direct.id, "awaiting-approval");
    expect(waiting.signoff?.approvalsRequired).toBe(2);
    expect(waiting.signoff?.reasons.join(" ")).toMatch(/without a signed submitter/);

    // Whoever sent it cannot carry it through alone: one approval leaves it waiting.
    await stack.approve(direct.id, { approved: true, approver: "ana" });
    expect((await stack.waitFor(direct.id, (status) => status.approvals.length === 1)).stage).toBe("awaiting-approval");
    await stack.approve(direct.id, { approved: true, approver: "bo" });
    expect((await stack.workflow(direct.id).workflowAttach()).outcome).toBe("completed");
  });
});

describe("the sign-off trail under a flood", () => {
  it("keeps every credentialed entry when hundreds of unsigned attempts arrive, and counts them", async () => {
    const id = await gated();
    const self = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, gateId: await stack.gateOf(id), approved: true, approver: "sam" }));
    expect(self.status).toBe(403);
    const flood = 230;
    for (let sent = 0; sent < flood; sent += 23) {
      await Promise.all(Array.from({ length: 23 }, (_, i) => stack.post(approvePath(id), { approved: true, approver: `bot-${sent + i}@evil.example` })));
    }
    const after = await stack.waitFor(id, (status) => status.uncredentialedAttempts.count === flood, 60_000);
    expect(after.signoffAttempts).toEqual([expect.objectContaining({ approver: "sam", accepted: false })]);
    expect(after.signoffAttemptsDropped).toBe(0);
    expect(after.uncredentialedAttempts.recent.length).toBeLessThanOrEqual(20);
    await expectStillWaiting(id);
  });
});

describe("two approvers at the same moment", () => {
  it("one decides, the other is refused, and both attempts are on the trail", async () => {
    const id = await gated();
    const gateId = await stack.gateOf(id);
    const [first, second] = await Promise.all(
      ["ana", "bo"].map((approver) => stack.post(approvePath(id), signApproval(secret(), { findingId: id, gateId, approved: true, approver }))),
    );
    expect([first!.status, second!.status].sort()).toEqual([200, 409]);
    const done = await stack.waitFor(id, (status) => status.signoffAttempts.length === 2 && status.stage === "completed");
    expect(done.signoffAttempts.map((attempt) => attempt.accepted).sort()).toEqual([false, true]);
    expect(done.signoffAttempts.map((attempt) => attempt.approver).sort()).toEqual(["ana", "bo"]);
  });
});

describe("records the services sign", () => {
  it("an exported audit record verifies offline with the public key, and stops verifying when changed", async () => {
    const id = await gated();
    await stack.approve(id, { approved: true, approver: "ana", comment: "fine" });
    await stack.workflow(id).workflowAttach();
    const key = parseRecordVerifyKey(stack.secrets.recordVerifyKey);
    const ledger = readFileSync(stack.ledgerFile, "utf8");
    const [check] = verifyAuditRecords(
      key,
      auditRecordsIn(ledger).filter((entry) => entry.findingId === id),
    );
    expect(check).toEqual({ findingId: id, outcome: "completed", ok: true });

    const [exported] = auditRecordsIn(ledger).filter((entry) => entry.findingId === id);
    const edited = { ...exported!.record, submittedBy: "someone-else" };
    expect(verifyAuditRecords(key, [{ findingId: id, record: edited }])[0]?.ok).toBe(false);
  });
});

describe("request signing", () => {
  it("the services endpoint refuses a request that restate-server did not sign", async () => {
    // The endpoint speaks HTTP/2 without TLS, as restate-server does.
    const { connect } = await import("node:http2");
    const session = connect(`http://127.0.0.1:${stack.servicesPort}`);
    const status = await new Promise<number>((resolve, reject) => {
      const request = session.request({ ":path": "/discover", ":method": "GET", accept: "application/vnd.restate.endpointmanifest.v3+json" });
      request.on("response", (headers) => resolve(Number(headers[":status"])));
      request.on("error", reject);
      request.end();
    });
    session.close();
    expect(status).toBe(401);
    // ...while the signed requests of our own server work: the suite's runs above went through it.
    expect(stack.secrets.identityPublicKey).toMatch(/^publickeyv1_[1-9A-HJ-NP-Za-km-z]{40,50}$/);
  });
});
