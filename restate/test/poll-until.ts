// Waiting in tests for something the engine or the services will do: ask again, more and more rarely.
import { setTimeout as sleep } from "node:timers/promises";

/** How long a test waits for a run to reach a state before it says so; a hang detector, not a budget. */
export const PATIENCE_MS = 120_000;

/**
 * Tries `check` until it returns without throwing, and returns what it returned; after `timeoutMs` it
 * throws the last error. It tries again 100 ms after the first try and half as long again after each
 * next one, up to every 500 ms: a wait of a moment is seen at once, and a long wait (a run's whole ladder,
 * a restart) does not ask the engine and the services every 100 ms. Each ask of a run's status is an
 * invocation, replayed: polled at a fixed 100 ms, the waits were a good part of the integration tier's
 * CPU, and more of it the busier the machine.
 */
export async function pollUntil<T>(check: () => T | Promise<T>, { timeoutMs = PATIENCE_MS, firstMs = 100, maxMs = 500 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = firstMs; ; wait = Math.min(maxMs, wait * 1.5)) {
    try {
      return await check();
    } catch (error) {
      const left = deadline - Date.now();
      if (left <= 0) throw error;
      await sleep(Math.min(wait, left));
    }
  }
}
