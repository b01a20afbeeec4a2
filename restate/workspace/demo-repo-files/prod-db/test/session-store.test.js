import assert from "node:assert/strict";
import { test } from "node:test";
import { endSession, findSession } from "../src/session-store.js";
import { memoryDb } from "../support/memory-db.js";

const sessions = () => memoryDb([{ token: "t-alice", user_id: 1 }, { token: "t-bob", user_id: 2 }]);

test("finds the session its token names", async () => {
  assert.deepEqual(await findSession(sessions(), "t-bob"), { token: "t-bob", user_id: 2 });
});

test("an unknown token has no session", async () => {
  assert.equal(await findSession(sessions(), "t-nobody"), null);
});

test("an ended session is gone", async () => {
  const db = sessions();
  await endSession(db, "t-alice");
  assert.equal(await findSession(db, "t-alice"), null);
});
