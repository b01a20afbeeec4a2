// Imported first by the services' entry (restate/app.ts), and preloaded (--import) by scripts/stack.ts for
// the services it starts from their bundle, before the Restate SDK reads its log level.
// The SDK logs two INFO lines per invocation, one as it starts and one as it ends: at the services'
// throughput that was an eighth of their CPU, for lines the console's journal timeline already shows.
// Warnings and errors are kept; RESTATE_LOGGING=INFO (or DEBUG, TRACE) brings the rest back.
process.env.RESTATE_LOGGING ??= "WARN";
