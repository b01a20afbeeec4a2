// For the workspace tests: seeded demo repositories in a fresh directory the sandbox's user can enter.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDemoRepos } from "./demo-repos";
import { workspaceSettingsFromEnv, type WorkspaceSettings } from "./workspace-settings";

export interface WorkspaceFixture {
  root: string;
  settings: WorkspaceSettings;
  remove(): void;
}

export async function seededFixture(env: Record<string, string> = {}): Promise<WorkspaceFixture> {
  const root = mkdtempSync(join(tmpdir(), "workspaces-"));
  chmodSync(root, 0o755);
  const settings = workspaceSettingsFromEnv({ REPOS_DIR: join(root, "repos"), WORKSPACES_DIR: join(root, "workspaces"), ...env });
  await seedDemoRepos(settings.reposDir);
  return { root, settings, remove: () => rmSync(root, { recursive: true, force: true }) };
}
