// An append-only JSONL file for the embedded adapters: each append is flushed to disk before it
// returns (an export the journal records as done is on disk), and a line a crash left unfinished is
// dropped when the file is read again (it was never acknowledged; the retried call writes it whole).
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export class JsonlFile<Line> {
  /** The file's size after our last read or write: another size means someone else wrote to it. */
  private knownSize = -1;

  constructor(readonly file: string) {}

  /** True when the file is not as this process last left it (never read, or written by someone else). */
  changedSinceRead(): boolean {
    return this.knownSize !== (existsSync(this.file) ? statSync(this.file).size : 0);
  }

  /** Every complete line, parsed; an unfinished last line is cut from the file first. */
  read(): Line[] {
    if (!existsSync(this.file)) {
      this.knownSize = 0;
      return [];
    }
    // It holds signed approvals and operator names: owner-only, also a file left readable before.
    chmodSync(this.file, 0o600);
    let text = readFileSync(this.file, "utf8");
    const complete = text.lastIndexOf("\n") + 1;
    if (complete < text.length) {
      console.warn(`${this.file}: dropping an unfinished last line (${text.length - complete} characters) left by a crash`);
      text = text.slice(0, complete);
      truncateSync(this.file, Buffer.byteLength(text));
    }
    this.knownSize = Buffer.byteLength(text);
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Line);
  }

  append(line: Line): void {
    const text = `${JSON.stringify(line)}\n`;
    mkdirSync(dirname(this.file), { recursive: true });
    const fd = openSync(this.file, "a", 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.knownSize += Buffer.byteLength(text);
  }
}
