// What the console does once as its Node.js server starts (called from instrumentation.ts): the method
// Next.js cannot represent (TRACE) is answered with 405 before it reaches it, and the console's settings
// are parsed, so a bad RESTATE_* value or a missing secret stops the server now instead of failing every
// request later.
import "server-only";
import { serverEnv, ServerConfigError } from "./env";
import { refuseUnservableMethods } from "./unservable-methods";

export function onConsoleStart(): void {
  refuseUnservableMethods();
  try {
    const env = serverEnv();
    // Without these the console can neither keep anyone signed in nor sign a sign-off: stop now.
    for (const name of ["SESSION_SECRET", "APPROVAL_SIGNING_SECRET"] as const) {
      if (!env[name]) throw new ServerConfigError(`${name} is not set (npm start generates it into .data/; see the README).`);
    }
  } catch (error) {
    if (!(error instanceof ServerConfigError)) throw error;
    console.error(`${error.message}\nFix the environment and start the console again.`);
    process.exit(1);
  }
}
