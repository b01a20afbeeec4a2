// An append-only JSONL file of records, each written once per idempotency key: what the embedded
// adapters keep under OUTSIDE_WORLD_DIR. Writes in one process go one at a time; a line torn by a
// crash is skipped when read, and the next write starts on a fresh line.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";

export interface KeyedRecord {
  idempotencyKey: string;
}

/** One queue per file, so two adapters writing the same file also take turns. */
const queues = new Map<string, Promise<unknown>>();

function inTurn<T>(file: string, write: () => T): Promise<T> {
  const turn = (queues.get(file) ?? Promise.resolve()).then(write);
  queues.set(
    file,
    turn.catch(() => undefined),
  );
  return turn;
}

export class JsonlRecords<T extends KeyedRecord> {
  constructor(
    readonly file: string,
    private readonly parse: (value: unknown) => T | null,
  ) {}

  /** Every whole record, oldest first. */
  read(): T[] {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const records: T[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const record = this.parse(JSON.parse(line));
        if (record) records.push(record);
      } catch {
        // a line torn by a crash mid-write: its step had not returned, and its retry writes it again
      }
    }
    return records;
  }

  /**
   * The record written with `idempotencyKey`, writing `make(records so far)` first if there is none:
   * a retried step gets the same record back and writes nothing.
   */
  once(idempotencyKey: string, make: (records: T[]) => T): Promise<T> {
    return inTurn(this.file, () => {
      const records = this.read();
      const written = records.find((record) => record.idempotencyKey === idempotencyKey);
      if (written) return written;
      const record = make(records);
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${this.endsTorn() ? "\n" : ""}${JSON.stringify(record)}\n`);
      return record;
    });
  }

  private endsTorn(): boolean {
    try {
      const text = readFileSync(this.file, "utf8");
      return text.length > 0 && !text.endsWith("\n");
    } catch {
      return false;
    }
  }
}
