// How the console words a gate's approvers, the same on the run page, the what-if and its comparisons
// (no zod: the run page loads it).

/** "1 approver", "2 different approvers". */
export const approversText = (count: number): string => (count === 1 ? "1 approver" : `${count} different approvers`);

/** The groups whose members may approve, or "any approver" when the rule names none. */
export const groupsText = (groups: readonly string[] | null | undefined): string => (groups?.length ? groups.join(", ") : "any approver");
