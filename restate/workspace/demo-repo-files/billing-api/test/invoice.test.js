import assert from "node:assert/strict";
import { test } from "node:test";
import { invoiceOptions } from "../src/invoice.js";

test("the customer's choices override the defaults, nested ones too", () => {
  assert.deepEqual(invoiceOptions('{"layout":{"paper":"Letter"}}'), { currency: "EUR", layout: { paper: "Letter", logo: true } });
});

test("an empty request gives the defaults", () => {
  assert.deepEqual(invoiceOptions("{}"), { currency: "EUR", layout: { paper: "A4", logo: true } });
});
