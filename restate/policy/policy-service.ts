// SignoffPolicy: the policy these services gate with, as text, and their rule for unsigned submissions,
// for the console's Policy page and what-if.
// The console asks rather than reading a file of its own, so what it shows is what the gate applies, on
// every console process and whatever the console's own environment says.
import * as restate from "@restatedev/restate-sdk";
import { z } from "zod";
import { SERVICE_NAMES } from "../contracts/services";
import { config } from "../config";
import { loadPolicy, type LoadedPolicy } from "./policy-file";

let active: LoadedPolicy | undefined;
/** The policy these services gate with (SIGNOFF_POLICY_FILE or the built-in one), read once; throws when the file is invalid. */
export function activePolicy(): LoadedPolicy {
  active ??= loadPolicy(config.SIGNOFF_POLICY_FILE);
  return active;
}

/** What the gate does with a finding sent straight to the ingress, with no submitter the console signed (UNSIGNED_SUBMISSIONS). */
export const UnsignedSubmissionsSchema = z.enum(["second-approver", "refuse", "allow"]);
export type UnsignedSubmissions = z.infer<typeof UnsignedSubmissionsSchema>;

// unsignedSubmissions is optional: services of an earlier version answer without it (they applied "second-approver").
export const EffectivePolicyTextSchema = z.object({
  source: z.string(),
  version: z.string(),
  text: z.string(),
  unsignedSubmissions: UnsignedSubmissionsSchema.optional(),
});
export type EffectivePolicyText = z.infer<typeof EffectivePolicyTextSchema>;

export const signoffPolicyService = restate.service({
  name: SERVICE_NAMES.signoffPolicy,
  handlers: {
    // A read of configuration: nothing to journal or keep.
    effective: restate.handlers.handler({ output: restate.serde.schema(EffectivePolicyTextSchema), journalRetention: 0 }, async () => {
      const { source, version, text } = activePolicy();
      return { source, version, text, unsignedSubmissions: config.UNSIGNED_SUBMISSIONS };
    }),
  },
});

export type SignoffPolicyService = typeof signoffPolicyService;
