// How the stubbed models "read" a finding. Deterministic rules over the finding's text stand in for
// what a real LLM would notice, so each scenario of the seed (the design note; see the README) can be
// reproduced on purpose.
import type { Finding } from "../../contracts/schemas";

const DATABASE_WORDS =
  /\b(db|dbs|database|databases|sql|mysql|postgres|postgresql|pg|mariadb|mongo|mongodb|redis|dynamodb|cassandra|sqlite|schema|migrations?|tables?|warehouse)\b/i;
const UNBOUNDED_SCOPE_WORDS = /\b(monorepo|mono|every (repo|repository|service)|all (repos|repositories|services)|org-wide|entire codebase)\b/i;
const OUTSIDE_REPO_WORDS = /\b(upstream|vendored|shared (library|lib|base image|module|config)|transitive dependency|third-party fork)\b/i;

/** Splits "prod-db" or "team/orders_api" into words so the patterns match whole tokens. */
function words(text: string): string {
  return text.replace(/[-_/.]+/g, " ");
}

export interface FindingTraits {
  /** The repo or the finding is about a datastore: a careless agent reaches for DROP/TRUNCATE. */
  touchesDatabase: boolean;
  /** The fix seems to need the whole codebase: a careless agent explores forever. */
  unboundedScope: boolean;
  /** The vulnerable code lives in another repository: no plan inside this repo can fix it. */
  fixLivesOutsideRepo: boolean;
}

export function findingTraits(finding: Finding): FindingTraits {
  const repo = words(finding.repo);
  const text = `${repo} ${finding.description}`;
  return {
    touchesDatabase: DATABASE_WORDS.test(text),
    unboundedScope: UNBOUNDED_SCOPE_WORDS.test(text),
    fixLivesOutsideRepo: OUTSIDE_REPO_WORDS.test(finding.description),
  };
}
