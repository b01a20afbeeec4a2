// Fault injection for the stubbed outside world, so tests can make a system flaky or broken.
// STUB_FAULTS is a JSON list, e.g.
//   [{"system":"jira","action":"open-ticket","findingPrefix":"flaky-","mode":"transient","times":3},
//    {"system":"github","action":"open-pull-request","findingPrefix":"broken-","mode":"permanent"}]
// Model calls can fail the same way: system "llm", action "executor-turn" or "judge-review"; the
// workspace's tools are system "github", action "run-tool".
import { z } from "zod";
import { PermanentAdapterError, RetryLaterAdapterError } from "../ports";

const FaultSchema = z.object({
  system: z.string(),
  action: z.string(),
  /** Only findings whose id starts with this are affected. */
  findingPrefix: z.string().default(""),
  /** "retry-later": a transient fault that asks to be called again after retryAfterMs (a 429 with Retry-After). */
  mode: z.enum(["transient", "retry-later", "permanent"]),
  /** Transient faults: how many calls per finding fail before one succeeds. */
  times: z.number().int().min(1).default(1),
  retryAfterMs: z.number().int().min(0).default(1_000),
});
type Fault = z.infer<typeof FaultSchema>;

export class FaultPlan {
  private readonly failuresSoFar = new Map<string, number>();
  constructor(private readonly faults: readonly Fault[]) {}

  static parse(json: string | undefined): FaultPlan | undefined {
    if (!json) return undefined;
    return new FaultPlan(z.array(FaultSchema).parse(JSON.parse(json)));
  }

  /** Throws when the call should fail: a plain Error is retried, a RetryLaterAdapterError after its wait, a PermanentAdapterError never. */
  before(system: string, action: string, findingId: string): void {
    const fault = this.faults.find((f) => f.system === system && f.action === action && findingId.startsWith(f.findingPrefix));
    if (!fault) return;
    if (fault.mode === "permanent") {
      throw new PermanentAdapterError(`${system} refused ${action} for ${findingId} (injected permanent fault)`);
    }
    const key = `${system}/${action}/${findingId}`;
    const failures = this.failuresSoFar.get(key) ?? 0;
    if (failures < fault.times) {
      this.failuresSoFar.set(key, failures + 1);
      if (fault.mode === "retry-later") {
        throw new RetryLaterAdapterError(
          `${system} asked to retry ${action} for ${findingId} in ${fault.retryAfterMs} ms (injected fault)`,
          fault.retryAfterMs,
        );
      }
      throw new Error(`${system} ${action} timed out for ${findingId} (injected transient fault ${failures + 1}/${fault.times})`);
    }
  }
}
