// `npm run submit -- results.sarif [--repo owner/name]`: posts a scanner's SARIF log to the console
// (POST /api/intake/sarif) as the operator whose API token is in CONSOLE_TOKEN (or the file named by
// CONSOLE_TOKEN_FILE; never an argument, which other users of the machine can read), and prints the
// findings started and those already known. The console is CONSOLE_URL (default http://localhost:3000).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ApiErrorSchema, IntakeResponseSchema, type IntakeResponse } from "../lib/api/contracts";

export interface SubmitOptions {
  file: string;
  consoleUrl: string;
  token: string;
  repo?: string;
}

export type SubmitOutcome = { ok: true; status: number; intake: IntakeResponse } | { ok: false; status: number; message: string };

/** Posts the file as it is (the console checks it) and reads the answer. */
export async function submitSarif(options: SubmitOptions): Promise<SubmitOutcome> {
  const url = new URL("/api/intake/sarif", options.consoleUrl);
  if (options.repo) url.searchParams.set("repo", options.repo);
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${options.token}`, "content-type": "application/sarif+json" },
    body: readFileSync(options.file),
  });
  const text = await response.text();
  const json = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  })();
  const intake = IntakeResponseSchema.safeParse(json);
  if (response.ok && intake.success) return { ok: true, status: response.status, intake: intake.data };
  const error = ApiErrorSchema.safeParse(json);
  return {
    ok: false,
    status: response.status,
    message: error.success ? error.data.error.message : `the console answered ${response.status} ${text.slice(0, 200)}`,
  };
}

/** What the operator reads: one line per finding, then the counts. */
export function describeOutcome(outcome: SubmitOutcome): string {
  if (!outcome.ok) return `refused (${outcome.status}): ${outcome.message}`;
  const { intake } = outcome;
  const lines = [
    ...intake.started.map((run) => `started   ${run.findingId}  ${run.severity}  ${run.title}`),
    ...intake.known.map((run) => `known     ${run.findingId}  ${run.severity}  ${run.title}`),
    ...intake.conflicts.map((run) => `conflict  ${run.findingId}  held by another finding (${run.differing.join(", ")} differ)`),
    ...intake.skipped.map((skip) => `skipped   ${skip.path}  ${skip.reason}`),
    `${intake.started.length} started, ${intake.known.length} already known, ${intake.conflicts.length} conflicts, ${intake.skipped.length} skipped (submitted by ${intake.submittedBy})`,
  ];
  return lines.join("\n");
}

function tokenFromEnvironment(): string | null {
  if (process.env.CONSOLE_TOKEN?.trim()) return process.env.CONSOLE_TOKEN.trim();
  const file = process.env.CONSOLE_TOKEN_FILE;
  return file ? readFileSync(file, "utf8").trim() : null;
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { repo: { type: "string" } } });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error("usage: npm run submit -- results.sarif [--repo owner/name]   (token in CONSOLE_TOKEN or CONSOLE_TOKEN_FILE)");
    process.exit(2);
  }
  const token = tokenFromEnvironment();
  if (!token) {
    console.error("No API token: set CONSOLE_TOKEN (or CONSOLE_TOKEN_FILE) to a token of an operator with the submitter role (console → API tokens).");
    process.exit(2);
  }
  const outcome = await submitSarif({
    file,
    token,
    consoleUrl: process.env.CONSOLE_URL ?? "http://localhost:3000",
    ...(values.repo ? { repo: values.repo } : {}),
  });
  console.log(describeOutcome(outcome));
  process.exit(outcome.ok ? 0 : 1);
}

if (process.argv[1]?.endsWith("submit.ts")) await main(process.argv.slice(2));
