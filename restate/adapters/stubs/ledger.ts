// What the stubbed outside world did, one line per call, appended to a JSONL file when one is
// configured. It plays the external systems' memory: idempotency keys survive a crash of the
// services process, and tests read the file to prove "exactly once".
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ExternalRef } from "../../contracts/schemas";
import type { FaultPlan } from "./faults";

export interface LedgerEntry {
  at: string;
  system: string;
  action: string;
  findingId: string;
  idempotencyKey: string;
  /** True when the key had been seen before and nothing new happened outside. */
  duplicate: boolean;
  ref?: ExternalRef;
  detail?: unknown;
}

export class Ledger {
  /** First result per (system, action, key): all a real system needs to honour idempotency keys. */
  private readonly byKey = new Map<string, ExternalRef>();

  constructor(
    private readonly file?: string,
    private readonly faults?: FaultPlan,
  ) {
    if (file && existsSync(file)) {
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (line.trim()) this.remember(JSON.parse(line) as LedgerEntry);
      }
    }
    if (file) mkdirSync(dirname(file), { recursive: true });
    // It holds signed approvals: readable by the owner only (also a ledger left from before).
    if (file && existsSync(file)) chmodSync(file, 0o600);
  }

  /** Performs `create` once per (system, action, key); later calls return the first result. */
  once<Ref extends ExternalRef>(system: string, action: string, findingId: string, idempotencyKey: string, create: () => Ref, detail?: unknown): Ref {
    const first = this.firstOf<Ref>(system, action, findingId, idempotencyKey);
    const ref = first ?? create();
    this.append({ at: new Date().toISOString(), system, action, findingId, idempotencyKey, duplicate: !!first, ref, detail });
    return ref;
  }

  /** As `once`, for an effect that takes time (a clone); a failed `create` is not recorded, so a retry makes it again. */
  async onceAsync<Ref extends ExternalRef>(
    system: string,
    action: string,
    findingId: string,
    idempotencyKey: string,
    create: () => Promise<Ref>,
  ): Promise<Ref> {
    const first = this.firstOf<Ref>(system, action, findingId, idempotencyKey);
    const ref = first ?? (await create());
    this.append({ at: new Date().toISOString(), system, action, findingId, idempotencyKey, duplicate: !!first, ref });
    return ref;
  }

  /** The planned fault, if any, then the result the key already has. */
  private firstOf<Ref extends ExternalRef>(system: string, action: string, findingId: string, idempotencyKey: string): Ref | undefined {
    this.injectFaults(system, action, findingId, idempotencyKey);
    // The same key was created by this same call site, so it holds the same kind of ref.
    return this.byKey.get(`${system}/${action}/${idempotencyKey}`) as Ref | undefined;
  }

  /** Records a call that has no external effect to deduplicate (a model call, for instance); it can be made to fail too. */
  note(system: string, action: string, findingId: string, key: string, detail?: unknown): void {
    this.injectFaults(system, action, findingId, key);
    this.append({ at: new Date().toISOString(), system, action, findingId, idempotencyKey: key, duplicate: false, detail });
  }

  /** Throws the fault planned for this call, if any, after writing it down as `<action>:failed`. */
  private injectFaults(system: string, action: string, findingId: string, key: string) {
    try {
      this.faults?.before(system, action, findingId);
    } catch (fault) {
      this.append({
        at: new Date().toISOString(),
        system,
        action: `${action}:failed`,
        findingId,
        idempotencyKey: key,
        duplicate: false,
        detail: { error: (fault as Error).message },
      });
      throw fault;
    }
  }

  private append(entry: LedgerEntry) {
    this.remember(entry);
    if (this.file) appendFileSync(this.file, JSON.stringify(entry) + "\n", { mode: 0o600 });
  }

  private remember(entry: LedgerEntry) {
    const key = `${entry.system}/${entry.action}/${entry.idempotencyKey}`;
    if (entry.ref && !entry.duplicate && !this.byKey.has(key)) this.byKey.set(key, entry.ref);
  }
}

/** Reads a ledger file written by a (possibly dead) services process. */
export function readLedger(file: string): LedgerEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LedgerEntry);
}
