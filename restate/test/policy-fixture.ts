// A sign-off policy file for a test stack (SIGNOFF_POLICY_FILE), in a directory of its own.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function writePolicyFile(text: string): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "signoff-policy-"));
  const file = join(dir, "policy.yaml");
  writeFileSync(file, text);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
