import assert from "node:assert/strict";
import { test } from "node:test";
import { renderResults } from "../src/index.js";

test("lists the results under the query", () => {
  assert.equal(renderResults("boots", [{ title: "Hiking boots" }]), "<h1>Results for boots</h1><ul><li>Hiking boots</li></ul>");
});

test("a result's title is shown as text", () => {
  assert.match(renderResults("x", [{ title: "<b>bold</b>" }]), /<li>&lt;b&gt;bold&lt;\/b&gt;<\/li>/);
});
