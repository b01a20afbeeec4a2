import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { PROMPT_VERSION, promptVersionOf, readPromptFiles } from "./prompts";

const shipped = fileURLToPath(new URL("./prompts", import.meta.url));
const copies: string[] = [];
afterEach(() => copies.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function copyOfPrompts(): string {
  const dir = mkdtempSync(join(tmpdir(), "prompts-"));
  copies.push(dir);
  cpSync(shipped, dir, { recursive: true });
  return dir;
}

describe("PROMPT_VERSION", () => {
  it("is the version of the shipped prompt files", () => {
    expect(PROMPT_VERSION).toMatch(/^prompts-[0-9a-f]{12}$/);
    expect(promptVersionOf(readPromptFiles(shipped))).toBe(PROMPT_VERSION);
  });

  it("changes when one word of a prompt changes", () => {
    const dir = copyOfPrompts();
    const judge = join(dir, "judge.md");
    writeFileSync(judge, readFileSync(judge, "utf8").replace(/\w+/, "Reviewer"));
    expect(promptVersionOf(readPromptFiles(dir))).not.toBe(PROMPT_VERSION);
  });

  it("changes when a prompt file is added or renamed, not when the files are listed in another order", () => {
    const files = readPromptFiles(shipped);
    expect(promptVersionOf([...files].reverse())).toBe(PROMPT_VERSION);
    expect(promptVersionOf([...files, { name: "extra.md", text: "" }])).not.toBe(PROMPT_VERSION);
    expect(promptVersionOf(files.map((file, i) => (i === 0 ? { ...file, name: `x-${file.name}` } : file)))).not.toBe(PROMPT_VERSION);
  });

  it("ignores files that are not prompts", () => {
    const dir = copyOfPrompts();
    writeFileSync(join(dir, "notes.txt"), "not a prompt");
    expect(promptVersionOf(readPromptFiles(dir))).toBe(PROMPT_VERSION);
  });
});
