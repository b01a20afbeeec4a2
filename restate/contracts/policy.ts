// The sign-off policy as configuration: the shape of a policy file (YAML or JSON) and what the gate
// records from it. Rules are tried in file order and the first whose every condition holds decides; a
// finding no rule matches waits for one approver (the policy fails closed).
import { z } from "zod";
import { SEVERITIES } from "./vocabulary";

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(ms|s|m|h|d)$/;
/** A year and a day: gates wait long, not forever, and every time a deadline makes stays a valid date. */
const MAX_DURATION_MS = 366 * 86_400_000;

/** "90s", "15m", "4h", "2d": a positive duration, in milliseconds once parsed. */
export const DurationSchema = z
  .string()
  .regex(DURATION, 'a duration is a whole number and a unit: "90s", "15m", "4h", "2d" (ms, s, m, h, d)')
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text)!;
    return Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  })
  .refine((ms) => ms > 0, "a duration must be longer than 0")
  .refine((ms) => ms <= MAX_DURATION_MS, "a duration is at most 366d");

/** A share of the time to the deadline, "50%": when a reminder goes out. */
export const ShareSchema = z
  .string()
  .regex(/^\d{1,2}%$/, 'a reminder is a share of the time to the deadline, "1%" to "99%"')
  .transform((text) => Number(text.slice(0, -1)) / 100)
  .refine((share) => share > 0 && share < 1, "a reminder is between 1% and 99% of the time to the deadline");

/** An approver group: in policy rules, the operators file and the OIDC groups claim. */
export const GroupNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, "a group name is letters, digits, '.', '_' or '-' (at most 64)");

/**
 * Why a repository pattern could take exponential time on a crafted name, or null: a repeated group that
 * itself repeats something (`(a+)+`, `(\\w*)*`, `(x{2,})+`), or a back-reference. Policies are evaluated
 * over every run's repository name, and the what-if takes policy text from the browser.
 */
export function slowPatternReason(pattern: string): string | null {
  if (/\\[1-9]|\\k</.test(pattern)) return "back-references are not allowed";
  // Per open group: whether something inside it repeats, and whether it has alternatives.
  const groups: { repeats: boolean; alternatives: boolean }[] = [];
  let current = { repeats: false, alternatives: false };
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      continue;
    }
    if (char === "[") inClass = true;
    else if (char === "|") current.alternatives = true;
    else if (char === "(") {
      groups.push(current);
      current = { repeats: false, alternatives: false };
    } else if (char === ")") {
      const next = pattern[i + 1];
      const repeated = next === "*" || next === "+" || next === "{";
      if (repeated && (current.repeats || current.alternatives)) {
        return `the group ending at position ${i + 1} is repeated and ${current.repeats ? "repeats something itself, like (a+)+" : "has alternatives, like (a|ab)+"}, which can take exponential time`;
      }
      const inner = current.repeats || repeated;
      current = groups.pop() ?? { repeats: false, alternatives: false };
      current.repeats ||= inner;
    } else if (char === "*" || char === "+" || char === "{") current.repeats = true;
  }
  return null;
}

/** What a rule looks at. Every condition given must hold; a rule with none matches every plan. */
export const PolicyMatchSchema = z
  .object({
    severity: z.array(z.enum(SEVERITIES)).min(1).optional(),
    /** A regular expression over the repository name ("owner/name" or "name"), case-insensitive. */
    repo: z
      .string()
      .min(1)
      .refine((pattern) => {
        try {
          new RegExp(pattern, "i");
          return true;
        } catch {
          return false;
        }
      }, "repo must be a valid regular expression")
      .superRefine((pattern, ctx) => {
        const slow = slowPatternReason(pattern);
        if (slow) ctx.addIssue({ code: "custom", message: slow });
      })
      .max(200, "repo must be at most 200 characters")
      .optional(),
    /** The judge's score is below this. */
    scoreBelow: z.number().min(0).max(1).optional(),
    /** The change adds and removes more lines than this, together. */
    linesChangedAbove: z.number().int().min(0).optional(),
    /** The change touches more files than this. */
    filesChangedAbove: z.number().int().min(0).optional(),
    /** Globs over the paths the change touches: the rule matches when any touched path matches any glob. */
    paths: z.array(z.string().min(1).max(200, "a path glob is at most 200 characters")).min(1).max(50, "at most 50 path globs").optional(),
  })
  .strict();
export type PolicyMatch = z.infer<typeof PolicyMatchSchema>;

/** How long a gate may wait, who is reminded when, and who is asked once the deadline passes. */
export const PolicyDeadlineSchema = z
  .object({
    /** From the gate opening to the deadline. */
    within: DurationSchema,
    /** Reminders to the rule's approvers, as shares of `within` (default 50% and 90%). */
    remindAt: z.array(ShareSchema).max(10).optional(),
    /** Groups asked at the deadline; their members may then decide too. */
    escalateTo: z.array(GroupNameSchema).min(1).optional(),
    /** Time the escalation group gets after the deadline (required with escalateTo); the run expires when it is over. */
    grace: DurationSchema.optional(),
  })
  .strict()
  .refine((deadline) => deadline.grace === undefined || deadline.escalateTo !== undefined, {
    message: "grace needs escalateTo: it is the escalation group's time",
    path: ["grace"],
  })
  .refine((deadline) => deadline.escalateTo === undefined || deadline.grace !== undefined, {
    message: "escalateTo needs grace: the time the escalation group gets before the run expires (e.g. grace: 4h)",
    path: ["escalateTo"],
  });
export type PolicyDeadline = z.infer<typeof PolicyDeadlineSchema>;

export const PolicyRuleSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "a rule name is lower-case letters, digits and '-' (at most 64)"),
    description: z.string().max(500).optional(),
    when: PolicyMatchSchema.default({}),
    /** M: how many different approvers must approve; 0 clears the plan without a human. */
    approvals: z.number().int().min(0).max(10),
    /** The groups whose members may approve; absent: any operator with the approver role. */
    from: z.array(GroupNameSchema).min(1).optional(),
    deadline: PolicyDeadlineSchema.optional(),
  })
  .strict()
  .refine((rule) => rule.approvals > 0 || (rule.from === undefined && rule.deadline === undefined), {
    message: "a rule with approvals: 0 clears without a human, so it takes no from and no deadline",
    path: ["approvals"],
  });
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const PolicyFileSchema = z
  .object({
    version: z.literal(1),
    rules: z.array(PolicyRuleSchema).min(1).max(200, "a policy has at most 200 rules"),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.name)) ctx.addIssue({ code: "custom", message: `rule name "${rule.name}" is used twice`, path: ["rules", index, "name"] });
      seen.add(rule.name);
    });
  });
export type PolicyFile = z.infer<typeof PolicyFileSchema>;

/** The deadline a gate got from its rule, in milliseconds from the gate opening. */
export const GateDeadlinePolicySchema = z.object({
  withinMs: z.number().int().positive(),
  remindAt: z.array(z.number().gt(0).lt(1)),
  escalateTo: z.array(z.string()),
  graceMs: z.number().int().min(0),
});
export type GateDeadlinePolicy = z.infer<typeof GateDeadlinePolicySchema>;

/** Which rule decided a gate and which of its conditions held: recorded on the gate, shown on the run page. */
export const MatchedRuleSchema = z.object({
  name: z.string(),
  /** The conditions that held, in words ("severity is critical", "touches db/migrations/001.sql"). */
  because: z.array(z.string()),
  /** The policy file's digest (sha256 of its text), or "default" for the built-in rules. */
  policyVersion: z.string(),
});
export type MatchedRule = z.infer<typeof MatchedRuleSchema>;
