// The lockfile must pin what package.json asks for: a bump made in one file only is a broken bump.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { URL } from "node:url";

const read = (file) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8"));

test("package-lock.json pins every dependency package.json declares", () => {
  const manifest = read("package.json");
  const lock = read("package-lock.json");
  for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
    assert.equal(lock.packages[""].dependencies[name], version, `${name} in the lockfile's root`);
    assert.equal(lock.packages[`node_modules/${name}`]?.version, version, `${name} in the lockfile`);
  }
});
