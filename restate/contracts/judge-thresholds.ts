// The scores the judge and the policy gate decide by; the console colours a verdict's score with them.

/** The judge's confident-enough check: a plan needs this much executor confidence; so it is also the lowest score an approved plan can have. */
export const MIN_PLAN_CONFIDENCE = 0.5;

/** Below this judge score, a human signs off even on a plan that passed every check. */
export const MIN_AUTO_CLEAR_SCORE = 0.75;
