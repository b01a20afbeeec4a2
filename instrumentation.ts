// Runs once when the Next.js server starts: the console's settings are parsed here, so a bad
// RESTATE_* value stops the server at start-up instead of failing the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { serverEnv } = await import("./lib/server/env");
    serverEnv();
  }
}
