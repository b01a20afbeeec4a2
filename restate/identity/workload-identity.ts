// Workload identity: which code and which deployment an invocation ran on (the prompts' version is
// restate/models/prompts.ts's PROMPT_VERSION).
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { config } from "../config";
import { adminSql } from "../contracts/admin-query";
import { INVOCATION_ID_PATTERN } from "../contracts/ids";

const servicesRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "test" ? [] : sourceFiles(path);
      return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
    })
    .sort();
}

/** A hash of the services' own sources, so the identity names the code even without the admin API. */
function computeCodeRevision(): string {
  const hash = createHash("sha256");
  for (const file of sourceFiles(servicesRoot)) {
    hash.update(file.slice(servicesRoot.length));
    hash.update(readFileSync(file));
  }
  return `src-${hash.digest("hex").slice(0, 12)}`;
}

export const CODE_REVISION = config.CODE_REVISION ?? computeCodeRevision();

/**
 * This process's deployment, learnt from the first invocation it ran: every invocation that reaches
 * this endpoint is pinned to the deployment registered for it, so one admin query per process is
 * enough (a re-registration under a new id means a restarted process in practice).
 */
let thisDeployment: string | null = null;

/** Asks the admin API which deployment the invocation is pinned to; null when it cannot tell. */
export async function lookupPinnedDeployment(invocationId: string): Promise<string | null> {
  if (thisDeployment) return thisDeployment;
  thisDeployment = await queryPinnedDeployment(invocationId);
  return thisDeployment;
}

async function queryPinnedDeployment(invocationId: string): Promise<string | null> {
  if (!INVOCATION_ID_PATTERN.test(invocationId)) return null;
  try {
    const [row] = await adminSql<{ pinned_deployment_id?: string | null }>(
      config.RESTATE_ADMIN_URL,
      `SELECT pinned_deployment_id FROM sys_invocation WHERE id = '${invocationId}'`,
      { timeoutMs: 2000 },
    );
    return row?.pinned_deployment_id ?? null;
  } catch {
    return null;
  }
}
