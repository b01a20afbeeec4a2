// The Approve and Reject buttons on the message to approvers: the Slack adapter puts them on the
// message, the console's interactivity endpoint reads a click back. A button's value names the
// finding and the gate it was posted for, so a click can only decide that gate.
import { z } from "zod";

export const SLACK_APPROVE_ACTION = "signoff_approve";
export const SLACK_REJECT_ACTION = "signoff_reject";

export const SignoffButtonValueSchema = z.object({ findingId: z.string().min(1).max(200), gateId: z.string().min(1).max(100) }).strict();
export type SignoffButtonValue = z.infer<typeof SignoffButtonValueSchema>;

export const signoffButtonValue = (value: SignoffButtonValue): string => JSON.stringify(value);

/** The button's finding and gate, or null when the value is not one of ours. */
export function readSignoffButtonValue(value: string): SignoffButtonValue | null {
  try {
    const parsed = SignoffButtonValueSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
