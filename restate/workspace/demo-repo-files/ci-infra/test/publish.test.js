import assert from "node:assert/strict";
import { test } from "node:test";
import { describePublish, publishSettings } from "../src/publish.js";
import { redact } from "../src/redact.js";

const env = { PACKAGE: "orders", VERSION: "2.0.1", REGISTRY_URL: "https://npm.example.test", REGISTRY_TOKEN: "npm_live_123" };

test("the publish line names the package, the version and the registry", () => {
  assert.match(describePublish(publishSettings(env)), /^publishing orders@2\.0\.1 to https:\/\/npm\.example\.test/);
});

test("redact hides settings named like secrets and keeps the rest", () => {
  assert.deepEqual(redact({ registryToken: "x", apiKey: "y", version: "1" }), { registryToken: "[redacted]", apiKey: "[redacted]", version: "1" });
});
