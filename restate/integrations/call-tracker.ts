// What each port of the outside world did last, for the Integrations page: every adapter is wrapped
// once (restate/adapters/index.ts) so that each call it answers, or fails, is noted here. Kept in this
// services process's memory: with several services processes each knows the calls it made itself.
import type { IntegrationPort } from "../contracts/integrations";

export type PortName = IntegrationPort;

export interface CallNote {
  /** The adapter method, e.g. "openPullRequest". */
  method: string;
  at: string;
  durationMs: number;
  /** The error's message, cut to a line; absent when the call succeeded. */
  error?: string;
}

export interface PortActivity {
  lastCall: CallNote | null;
  lastError: CallNote | null;
}

const activity = new Map<PortName, PortActivity>();

const MAX_ERROR_CHARS = 300;

function note(port: PortName, method: string, startedAt: number, error?: unknown) {
  const call: CallNote = { method, at: new Date(startedAt).toISOString(), durationMs: Date.now() - startedAt };
  if (error !== undefined) {
    const message = error instanceof Error ? error.message : String(error);
    call.error = message.split("\n")[0]!.slice(0, MAX_ERROR_CHARS);
  }
  const before = activity.get(port) ?? { lastCall: null, lastError: null };
  activity.set(port, { lastCall: call, lastError: call.error ? call : before.lastError });
}

/** The adapter with each of its methods noted on the way out; nothing else about it changes. */
export function tracked<T extends object>(port: PortName, adapter: T): T {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        const startedAt = Date.now();
        let result: unknown;
        try {
          result = value.apply(target, args);
        } catch (error) {
          note(port, property, startedAt, error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (answer) => (note(port, property, startedAt), answer),
            (error: unknown) => {
              note(port, property, startedAt, error);
              throw error;
            },
          );
        }
        note(port, property, startedAt);
        return result;
      };
    },
  });
}

export function portActivity(port: PortName): PortActivity {
  return activity.get(port) ?? { lastCall: null, lastError: null };
}

/** Every port's adapter, tracked. */
export function trackedAdapters<A extends Record<PortName, object>>(adapters: A): A {
  return Object.fromEntries(Object.entries(adapters).map(([port, adapter]) => [port, tracked(port as PortName, adapter)])) as A;
}
