// The embedded default's code host: git repositories under REPOS_DIR, seeded with the demo repositories
// that make the console's preset findings real (their files are in ./demo-repo-files/<name>).
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { REPO_PATTERN } from "../contracts/ids";
import { git } from "./git";

const FIXTURES = fileURLToPath(new URL("./demo-repo-files/", import.meta.url));

export interface DemoRepo {
  name: string;
  /** What is wrong in it, and which preset finding names it. */
  scenario: string;
  /** Whether a change inside the repository can fix it (the vendored library's cannot). */
  fixableInRepo: boolean;
}

export const DEMO_REPOS: readonly DemoRepo[] = [
  {
    name: "web-storefront",
    scenario: "depends on lodash 4.17.15 (prototype pollution); the fix bumps it to 4.17.21 in package.json and the lockfile",
    fixableInRepo: true,
  },
  { name: "ci-infra", scenario: "the publish script logs the registry token in the CI log; the fix redacts it", fixableInRepo: true },
  {
    name: "prod-db",
    scenario: "the session store builds its SQL from the token (injectable) next to the schema's migrations; the fix binds it as a parameter",
    fixableInRepo: true,
  },
  {
    name: "web-monorepo",
    scenario: "the search page of a three-package monorepo echoes the query unescaped (reflected XSS); the fix escapes it with the ui package's helper",
    fixableInRepo: true,
  },
  { name: "billing-api", scenario: "prototype pollution in vendor/shared-utils, a vendored copy that must be fixed upstream", fixableInRepo: false },
];

/** The demo commits are made with this identity at this time, so a seed always gives the same revisions. */
const SEED_COMMIT_ENV = {
  GIT_AUTHOR_NAME: "Demo Seed",
  GIT_AUTHOR_EMAIL: "demo-seed@example.invalid",
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_NAME: "Demo Seed",
  GIT_COMMITTER_EMAIL: "demo-seed@example.invalid",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
};

export class UnknownRepositoryError extends Error {
  override name = "UnknownRepositoryError";
}

/** A repo name as findings carry it ("web-storefront", "team/orders_api"), never a way out of REPOS_DIR. */
function checkedRepoName(repo: string): string {
  const segments = repo.split("/");
  if (!REPO_PATTERN.test(repo) || segments.some((segment) => segment === "" || segment === "." || segment === ".."))
    throw new UnknownRepositoryError(`"${repo}" is not a repository name`);
  return repo;
}

/** The repository's git directory or work tree under `reposDir` (`name.git` first), or undefined. */
export function repositoryPath(reposDir: string, repo: string): string | undefined {
  let name: string;
  try {
    name = checkedRepoName(repo);
  } catch {
    return undefined;
  }
  const bare = join(reposDir, `${name}.git`);
  if (existsSync(join(bare, "HEAD"))) return bare;
  const plain = join(reposDir, name);
  if (existsSync(join(plain, ".git"))) return plain;
  return undefined;
}

export interface SeedResult {
  created: string[];
  existing: string[];
}

/** Creates each demo repository that is missing as `reposDir/<name>.git`; existing ones are left alone. */
export async function seedDemoRepos(reposDir: string): Promise<SeedResult> {
  await mkdir(reposDir, { recursive: true });
  const result: SeedResult = { created: [], existing: [] };
  for (const demo of DEMO_REPOS) {
    if (repositoryPath(reposDir, demo.name)) {
      result.existing.push(demo.name);
      continue;
    }
    // Built beside its final place and renamed in one step: a crash leaves a temporary directory, never half a repository.
    const work = await mkdtemp(join(reposDir, `.seeding-${demo.name}-`));
    try {
      await cp(join(FIXTURES, demo.name), join(work, "tree"), { recursive: true });
      const tree = join(work, "tree");
      await git(["init", "-q", "-b", "main"], { cwd: tree });
      await git(["add", "-A"], { cwd: tree });
      await git(["commit", "-q", "-m", `${demo.name}: demo repository`], { cwd: tree, env: SEED_COMMIT_ENV });
      await git(["clone", "-q", "--bare", "--no-hardlinks", tree, join(work, "bare.git")], { cwd: work });
      try {
        await rename(join(work, "bare.git"), join(reposDir, `${demo.name}.git`));
        result.created.push(demo.name);
      } catch (error) {
        // Another process seeded it first.
        if (!["ENOTEMPTY", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
        result.existing.push(demo.name);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return result;
}

/** The files a correct fix of a demo repository writes (path → content); empty when it cannot be fixed in the repo. */
export async function demoRepoFix(name: string): Promise<Record<string, string>> {
  const root = join(FIXTURES, `${name}.fix`);
  if (!existsSync(root)) return {};
  const files: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir)) {
      const path = join(dir, entry);
      if ((await stat(path)).isDirectory()) await walk(path);
      else files[relative(root, path).split(sep).join("/")] = await readFile(path, "utf8");
    }
  };
  await walk(root);
  return files;
}
