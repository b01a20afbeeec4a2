// The cart's total, in cents.
export function cartTotal(lines) {
  return lines.reduce((total, line) => total + line.priceCents * line.quantity, 0);
}
