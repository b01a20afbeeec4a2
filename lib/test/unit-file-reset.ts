// Set up before each unit test file. Unit files share their worker's modules (vitest.config.ts,
// isolate: false), so what one file changes in the process must not reach the next: after each file
// the environment is put back as it was before it, and timers, mocks and stubs are restored.
import { afterAll, vi } from "vitest";

const environment = { ...process.env };

afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
  Object.assign(process.env, environment);
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});
