import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { servicesBundle } from "./services-bundle";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project of two modules: the entry prints what the other one says and where it thinks it is. */
function project(says: string): string {
  const root = mkdtempSync(join(tmpdir(), "services-bundle-"));
  dirs.push(root);
  mkdirSync(join(root, "src", "parts"), { recursive: true });
  writeFileSync(join(root, "src", "entry.ts"), `import { says, where } from "./parts/part";\nconsole.log(JSON.stringify({ says, where }));\n`);
  writeFileSync(join(root, "src", "parts", "part.ts"), `export const says: string = ${JSON.stringify(says)};\nexport const where = import.meta.url;\n`);
  return root;
}

const run = (bundle: string) => JSON.parse(execFileSync(process.execPath, [bundle], { encoding: "utf8" })) as { says: string; where: string };

describe("servicesBundle", () => {
  it("runs the entry with Node alone, each module keeping its own import.meta.url", async () => {
    const root = project("first");
    const bundle = await servicesBundle("src/entry.ts", root);
    expect(bundle.startsWith(join(root, "node_modules", ".cache", "services-bundle"))).toBe(true);
    expect(run(bundle)).toEqual({ says: "first", where: pathToFileURL(join(root, "src", "parts", "part.ts")).href });
  });

  it("is built once while its files stay the same, and again when one of them changes", async () => {
    const root = project("first");
    const bundle = await servicesBundle("src/entry.ts", root);
    const built = statSync(bundle).mtimeMs;
    expect(await servicesBundle("src/entry.ts", root)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(built);

    writeFileSync(join(root, "src", "parts", "part.ts"), `export const says: string = "changed";\nexport const where = "";\n`);
    const rebuilt = await servicesBundle("src/entry.ts", root);
    expect(rebuilt).not.toBe(bundle);
    expect(run(rebuilt).says).toBe("changed");
  });

  it("builds again when its bundle was removed", async () => {
    const root = project("first");
    const bundle = await servicesBundle("src/entry.ts", root);
    rmSync(bundle);
    expect(run(await servicesBundle("src/entry.ts", root)).says).toBe("first");
  });
});
