import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml } from "../src/index.js";

test("escapes the characters that start markup", () => {
  assert.equal(escapeHtml(`<a href="x">Tom & 'Jerry'</a>`), "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
});
