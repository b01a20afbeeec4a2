// Runs once when the Next.js server starts: the console's settings are parsed here, so a bad
// RESTATE_* value stops the server at start-up instead of failing every request later; and the
// method Next.js cannot represent (TRACE) is answered with 405 before it reaches it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("./lib/server/unservable-methods")).refuseUnservableMethods();
  const { serverEnv, ServerConfigError } = await import("./lib/server/env");
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
