// Below md each row is a card: the cells flow into a two-column grid (the column headers are hidden,
// so the cells that need one say what they are). One DOM for both, so a row is one element either way.
export const CELL = "block min-w-0 md:table-cell md:px-3 md:py-2.5";
