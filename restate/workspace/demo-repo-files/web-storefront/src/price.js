// Prices are kept in cents; the storefront shows them in the shopper's currency.
export function formatPrice(cents, currency = "EUR") {
  if (!Number.isInteger(cents) || cents < 0) throw new RangeError(`not a price in cents: ${cents}`);
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}
