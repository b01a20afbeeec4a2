// Sign-off nobody can forge, against a real restate-server: only decisions the console signed count,
// the sign-off rules hold, every attempt is in the run's trail, and only our server may call the services.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signApproval, signSubmission } from "../identity/signed-claims";
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

describe("a forged approval sent straight to the ingress", () => {
  it.each([
    ["no signature at all", (_id: string) => ({ approved: true, approver: "mallory@corp.com", comment: "trust me" }), /not signed/],
    [
      "a signature made with another secret",
      (id: string) => signApproval("x".repeat(64), { findingId: id, approved: true, approver: "mallory@corp.com" }),
      /signature does not match/,
    ],
    [
      "a genuine signature replayed after it expired",
      (id: string) => signApproval(secret(), { findingId: id, approved: true, approver: "ana" }, new Date(Date.now() - 10 * 60_000)),
      /signature expired/,
    ],
    [
      "a genuine signature for another finding",
      () => signApproval(secret(), { findingId: "some-other-finding", approved: true, approver: "ana" }),
      /signature is for finding "some-other-finding"/,
    ],
    [
      "a genuine signature with the approver changed",
      (id: string) => ({ ...signApproval(secret(), { findingId: id, approved: true, approver: "ana" }), approver: "mallory@corp.com" }),
      /signature does not match/,
    ],
  ])("with %s is refused, changes nothing, and shows in the run's sign-off attempts", async (_, forge, reason) => {
    const id = await gated();
    const forged = await stack.post(approvePath(id), forge(id));
    expect(forged.status).toBe(401);
    expect(messageOf(forged.body)).toMatch(/Sign-off refused/);
    expect(messageOf(forged.body)).toMatch(reason);

    await expectStillWaiting(id);
    const [run] = await stack.sql<{ status: string }>(`SELECT status FROM sys_invocation WHERE target = 'RemediationWorkflow/${id}/run'`);
    expect(run?.status).toBe("suspended");
    const attempts = await stack.waitFor(id, (status) => status.signoffAttempts.length > 0);
    expect(attempts.signoffAttempts).toEqual([expect.objectContaining({ accepted: false, reason: expect.stringMatching(reason) })]);

    // A real sign-off still works afterwards and is recorded next to the refused one.
    await stack.approve(id, { approved: true, approver: "ana" });
    const result = await stack.workflow(id).workflowAttach();
    expect(result).toMatchObject({ outcome: "completed", approval: { approver: "ana" } });
    const done = await stack.waitFor(id, (status) => status.signoffAttempts.length === 2);
    expect(done.signoffAttempts.map((attempt) => attempt.accepted)).toEqual([false, true]);
  });
});

describe("sign-off rules", () => {
  it("refuses the submitter's own approval and records the submitter", async () => {
    const id = await gated("high", "sam");
    expect((await stack.status(id)).submittedBy).toBe("sam");
    const self = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, approved: true, approver: "sam" }));
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

    const same = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, approved: true, approver: "ana" }));
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
    const genuine = signApproval(secret(), { findingId: id, approved: true, approver: "ana" });
    expect((await stack.post(approvePath(id), genuine)).status).toBe(200);
    await stack.waitFor(id, (status) => status.approvals.length === 1);
    const replayed = await stack.post(approvePath(id), genuine);
    expect(replayed.status).toBe(409);
    expect(messageOf(replayed.body)).toMatch(/already used/);
    expect((await stack.status(id)).stage).toBe("awaiting-approval");
  });

  it("refuses a rejection without a comment", async () => {
    const id = await gated();
    const bare = await stack.post(approvePath(id), signApproval(secret(), { findingId: id, approved: false, approver: "ana" }));
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
