// Realistic-looking latency for the stubs. STUB_LATENCY_SCALE=0 makes every stub answer at once.
export type Latency = (baseMs: number) => Promise<void>;

export function latency(scale: number): Latency {
  return (baseMs) => {
    const ms = Math.round(baseMs * scale);
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  };
}
