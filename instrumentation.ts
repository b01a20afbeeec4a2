// Runs once when the Next.js server starts. The work is Node.js-only (lib/server/console-startup.ts),
// imported under the runtime check so the Edge build of this file does not include it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") (await import("./lib/server/console-startup")).onConsoleStart();
}
