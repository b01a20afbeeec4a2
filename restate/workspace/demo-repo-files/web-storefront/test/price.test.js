import assert from "node:assert/strict";
import { test } from "node:test";
import { formatPrice } from "../src/price.js";

test("formats cents as the currency", () => {
  assert.equal(formatPrice(1999), "€19.99");
  assert.equal(formatPrice(500, "GBP"), "£5.00");
});

test("refuses what is not a price", () => {
  assert.throws(() => formatPrice(-1), RangeError);
  assert.throws(() => formatPrice(1.5), RangeError);
});
