import { describe, expect, it } from "vitest";
import type { Finding } from "../../contracts/schemas";
import { findingTraits } from "./finding-traits";

const finding = (repo: string, description = "a vulnerability"): Finding => ({ id: "f", source: "s", severity: "low", description, repo });

describe("findingTraits", () => {
  it.each([["prod-db"], ["orders_database"], ["analytics/postgres-etl"], ["session-redis"], ["mysql"]])("sees that %s touches a database", (repo) =>
    expect(findingTraits(finding(repo)).touchesDatabase).toBe(true),
  );
  it("sees a database in the description too", () => {
    expect(findingTraits(finding("web-app", "SQL injection in session store")).touchesDatabase).toBe(true);
  });
  it.each([["web-storefront"], ["dbt-docs-site"], ["adobe-plugin"]])("does not see a database in %s", (repo) => {
    expect(findingTraits(finding(repo)).touchesDatabase).toBe(false);
  });
  it("treats a monorepo or an org-wide fix as unbounded scope", () => {
    expect(findingTraits(finding("web-monorepo")).unboundedScope).toBe(true);
    expect(findingTraits(finding("api", "affects all repositories")).unboundedScope).toBe(true);
    expect(findingTraits(finding("api")).unboundedScope).toBe(false);
  });
  it("sees when the fix lives in another repository", () => {
    expect(findingTraits(finding("api", "bug in the vendored shared library")).fixLivesOutsideRepo).toBe(true);
    expect(findingTraits(finding("api", "bug in our handler")).fixLivesOutsideRepo).toBe(false);
  });
});
