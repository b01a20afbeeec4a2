// The services endpoint as one JavaScript file: a stack starts its services from it with Node alone,
// instead of compiling each of their hundred-odd TypeScript modules through tsx at every start (0.6 of a
// CPU-second a start, 0.25 from the bundle; the tests start services about seventy times). Packages stay
// in node_modules; only the project's own modules are bundled. Built on first use and again whenever one
// of the files in it changes, into node_modules/.cache/services-bundle (the bundle imports its packages
// from node_modules, so it lives under it).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Loader } from "esbuild";
import { projectRoot } from "./processes";

const cacheDir = (root: string) => join(root, "node_modules", ".cache", "services-bundle");

/** What a bundle was made from: each input (relative to the project) with the hash of what was read. */
interface Manifest {
  bundle: string;
  inputs: Record<string, string>;
}

const sha256 = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Writes a file whole or not at all, so processes building the same bundle at once never read half of one. */
function writeWhole(file: string, contents: string): void {
  const partial = `${file}.${randomBytes(6).toString("hex")}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}

function upToDate(root: string, manifest: Manifest): boolean {
  if (!existsSync(join(cacheDir(root), manifest.bundle))) return false;
  return Object.entries(manifest.inputs).every(([file, hash]) => {
    try {
      return sha256(readFileSync(join(root, file))) === hash;
    } catch {
      return false;
    }
  });
}

const LOADERS: Record<string, Loader> = { ".ts": "ts", ".tsx": "tsx", ".mts": "ts", ".js": "js", ".mjs": "js", ".json": "json" };

/**
 * The path of the bundle of `entry` (a services endpoint, relative to the project), built now if none is
 * up to date. A module keeps its own `import.meta.url`, so files read from beside it (the prompts, the
 * demo repositories) are read from where they are in the project.
 */
export async function servicesBundle(entry: string, root = projectRoot): Promise<string> {
  const dir = cacheDir(root);
  mkdirSync(dir, { recursive: true });
  const name = entry.replace(/\.[a-z]+$/, "").replace(/[^A-Za-z0-9]+/g, "-");
  const manifestFile = join(dir, `${name}.json`);
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
    if (upToDate(root, manifest)) return join(dir, manifest.bundle);
  }

  const inputs: Record<string, string> = {};
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    sourcemap: "inline",
    write: false,
    outfile: join(dir, `${name}.mjs`),
    logLevel: "silent",
    plugins: [
      {
        name: "own-files",
        setup(bundler) {
          bundler.onLoad({ filter: /\.(tsx?|mts|m?js|json)$/ }, async ({ path }) => {
            const source = await readFile(path, "utf8");
            inputs[relative(root, path)] = sha256(source);
            const loader = LOADERS[extname(path)] ?? "js";
            const contents = loader === "json" ? source : source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(path).href));
            return { contents, loader };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.text;
  const bundle = `${name}-${sha256(code).slice(0, 16)}.mjs`;
  writeWhole(join(dir, bundle), code);
  writeWhole(manifestFile, JSON.stringify({ bundle, inputs } satisfies Manifest));
  return join(dir, bundle);
}
