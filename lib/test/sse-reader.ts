// Reads a Server-Sent Events body (a route handler's Response, or fetch's) as the browser's
// EventSource would, for the tests and the live-views benchmark.
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  /** performance.now() when the event's last line arrived. */
  receivedAt: number;
}

export class SseReader {
  readonly events: SseEvent[] = [];
  /** Everything the stream carried, as text (comments and heartbeats included). */
  raw = "";
  /** Resolves when the server ends the stream (or reading fails). */
  readonly ended: Promise<void>;
  private buffer = "";
  private done = false;
  private waiters = new Set<() => void>();

  constructor(body: ReadableStream<Uint8Array>) {
    this.ended = this.pump(body.getReader());
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        this.raw += text;
        this.buffer += text;
        let end: number;
        while ((end = this.buffer.indexOf("\n\n")) >= 0) {
          this.take(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted by the reader, or the connection dropped: the stream has ended either way
    } finally {
      this.done = true;
      this.notify();
    }
  }

  private take(block: string): void {
    let id: string | undefined;
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    this.events.push({ id, event, data: data.join("\n"), receivedAt: performance.now() });
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** The last id an EventSource would send back as Last-Event-ID. */
  get lastEventId(): string | undefined {
    return this.events.findLast((event) => event.id !== undefined)?.id;
  }

  /** The first event (from index `from` on) that matches, waiting for it up to `timeoutMs`. */
  async waitFor(match: (event: SseEvent) => boolean, timeoutMs: number, from = 0): Promise<SseEvent> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      const left = deadline - performance.now();
      if (left <= 0 || this.done)
        throw new Error(
          `no matching event ${this.done ? "before the stream ended" : `within ${timeoutMs} ms`}; got: ${this.events.map((event) => event.event).join(", ")}`,
        );
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }
}
