// An invoice's options are the defaults overlaid with what the customer asked for (a JSON request body).
import { deepMerge } from "../vendor/shared-utils/deep-merge.js";

const DEFAULTS = { currency: "EUR", layout: { paper: "A4", logo: true } };

export function invoiceOptions(requestBody) {
  return deepMerge({}, DEFAULTS, JSON.parse(requestBody));
}
