// The models' standing instructions, kept as files in ./prompts so a reviewer reads them as text.
import { readFileSync } from "node:fs";

const prompt = (name: string) => readFileSync(new URL(`./prompts/${name}.md`, import.meta.url), "utf8").trim();

export const PROMPTS = {
  /** Appended to an executor agent's system message: its tools, its limits, how it hands in a plan. */
  executor: prompt("executor"),
  /** The judge model's system prompt (the JSON it answers with is asked for by structured.ts). */
  judge: prompt("judge"),
} as const;
