// The embedded outside world end to end, as `npm start` has it: a finding signed off in the browser
// lands as a branch in the local repository holding exactly the approved diff, its ticket and message
// are listed, and the audit log verifies with `npm run audit -- verify`, which names a tampered record.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, signInAs, submitPreset, test } from "./fixtures";
import { projectRoot } from "../scripts/stack";

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd: projectRoot, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const auditVerify = (file: string) =>
  run(join(projectRoot, "node_modules", "node", "bin", "node"), [join(projectRoot, "node_modules", ".bin", "tsx"), "scripts/audit.ts", "verify", file], {
    RECORD_VERIFY_KEY: process.env.E2E_RECORD_VERIFY_KEY!,
  });

interface PlanChange {
  baseRevision: string;
  diff: string;
}

test("a signed-off finding's approved change is the branch, its ticket and message are listed, and the audit log verifies", async ({ page }) => {
  const id = await submitPreset(page, "credentials");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");
  await signInAs(page, "ana");
  await page.reload();
  const gate = page.getByTestId("approval-gate");
  await gate.getByLabel("Comment").fill("Checked the rotation");
  await gate.getByRole("button", { name: "Approve and execute" }).click();
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");

  // The branch holds exactly the diff the approver saw.
  const detail = (await (await page.request.get(`/api/findings/${encodeURIComponent(id)}`)).json()) as {
    status: { verdict: { agent: string }; plans: { plan: { agent: string; change?: PlanChange } }[]; finding: { repo: string } };
  };
  const accepted = detail.status.plans.find(({ plan }) => plan.agent === detail.status.verdict.agent)!.plan;
  expect(accepted.change?.diff).toBeTruthy();
  const branch = ((await page.getByTestId("pull-request").getByTestId("pull-request-branch").textContent()) ?? "").split(" @ ")[0]!.trim();
  // The embedded code host keeps each repository bare, as a server would.
  const repo = join(process.env.E2E_REPOS_DIR!, `${detail.status.finding.repo}.git`);
  const landed = run("git", ["-C", repo, "diff", accepted.change!.baseRevision, branch]);
  expect(landed.status, landed.output).toBe(0);
  expect(landed.output).toBe(accepted.change!.diff);

  // Its ticket and its message are on the Tickets & outbox page.
  await page.goto("/tickets");
  await expect(page.locator("[data-ticket-id]", { hasText: id })).toHaveCount(1);
  await expect(page.getByTestId("outbox").locator("[data-message-id]", { hasText: id })).toHaveCount(1);

  // The audit log verifies; a copy with one record changed does not, and the check names it.
  const log = join(process.env.E2E_OUTSIDE_WORLD_DIR!, "audit-log.jsonl");
  const clean = auditVerify(log);
  expect(clean.status, clean.output).toBe(0);
  expect(clean.output).toMatch(/audit log entries verified/);

  const copyDir = mkdtempSync(join(tmpdir(), "audit-tamper-"));
  const copy = join(copyDir, "audit-log.jsonl");
  copyFileSync(log, copy);
  copyFileSync(join(process.env.E2E_OUTSIDE_WORLD_DIR!, "audit-log.head.json"), join(copyDir, "audit-log.head.json"));
  const lines = readFileSync(copy, "utf8").trimEnd().split("\n");
  const index = lines.findIndex((line) => line.includes(`"${id}"`));
  expect(index).toBeGreaterThanOrEqual(0);
  const entry = JSON.parse(lines[index]!) as { record: { outcome: string } };
  entry.record.outcome = entry.record.outcome === "completed" ? "rejected" : "completed";
  lines[index] = JSON.stringify(entry);
  writeFileSync(copy, `${lines.join("\n")}\n`);
  const tampered = auditVerify(copy);
  expect(tampered.status).toBe(1);
  expect(tampered.output).toContain(`line ${index + 1}`);
  expect(tampered.output).toContain(id);
});
