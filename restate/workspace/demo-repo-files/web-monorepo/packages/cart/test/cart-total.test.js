import assert from "node:assert/strict";
import { test } from "node:test";
import { cartTotal } from "../src/index.js";

test("adds up price times quantity", () => {
  assert.equal(cartTotal([{ priceCents: 250, quantity: 2 }, { priceCents: 100, quantity: 1 }]), 600);
});
