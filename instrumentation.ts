// Runs once when the Next.js server starts: the console's settings are parsed here, so a bad
// RESTATE_* value stops the server at start-up instead of failing every request later.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverEnv, ServerConfigError } = await import("./lib/server/env");
  try {
    serverEnv();
  } catch (error) {
    if (!(error instanceof ServerConfigError)) throw error;
    console.error(`${error.message}\nFix the environment and start the console again.`);
    process.exit(1);
  }
}
