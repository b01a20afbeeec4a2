// Runs once when the Next.js server starts: the console's settings are parsed here, so a bad
// RESTATE_* value stops the server at start-up instead of failing the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { serverEnv, ServerConfigError } = await import("./lib/server/env");
    const env = serverEnv();
    // Without these the console can neither keep anyone signed in nor sign a sign-off: stop now.
    for (const name of ["SESSION_SECRET", "APPROVAL_SIGNING_SECRET"] as const) {
      if (!env[name]) throw new ServerConfigError(`${name} is not set (npm start generates it into .data/; see the README).`);
    }
  }
}
