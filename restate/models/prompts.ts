// The models' standing instructions, kept as files in ./prompts so a reviewer reads them as text. Their
// version is derived from those files, so the identity record names exactly what the models were told.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface PromptFile {
  name: string;
  text: string;
}

const PROMPTS_DIR = fileURLToPath(new URL("./prompts", import.meta.url));

/** Every `*.md` file of a prompts directory, sorted by name. */
export function readPromptFiles(dir: string = PROMPTS_DIR): PromptFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

/** `prompts-<12 hex>`: sha256 over the files' names and contents, in name order. */
export function promptVersionOf(files: readonly PromptFile[]): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // NUL separators, so moving text from one file's end to the next file's name cannot give the same hash.
    hash.update(`${file.name}\0${file.text}\0`);
  }
  return `prompts-${hash.digest("hex").slice(0, 12)}`;
}

const files = readPromptFiles();
const prompt = (name: string) => {
  const file = files.find((candidate) => candidate.name === `${name}.md`);
  if (!file) throw new Error(`restate/models/prompts/${name}.md is missing`);
  return file.text.trim();
};

export const PROMPTS = {
  /** Appended to an executor agent's system message: its tools, its limits, how it hands in a plan. */
  executor: prompt("executor"),
  /** The judge model's system prompt (the JSON it answers with is asked for by structured.ts). */
  judge: prompt("judge"),
} as const;

/** The version of the prompts this process runs with: recorded in every plan and the run's identity. */
export const PROMPT_VERSION = promptVersionOf(files);
