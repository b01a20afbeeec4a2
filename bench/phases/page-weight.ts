// 5. Page weight: first-load JavaScript of every page of the console (app/**/page.tsx), signed in as a viewer.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { projectRoot } from "../../scripts/stack";
import type { Bench } from "../bench-stack";
import type { Report } from "../report";

/** The console's pages as routes (`/findings/[id]`), the dashboard first. */
export function consolePageRoutes(appDir = join(projectRoot, "app")): string[] {
  const routes: string[] = [];
  for (const entry of readdirSync(appDir, { recursive: true, encoding: "utf8" })) {
    if (entry !== "page.tsx" && !entry.endsWith(`${sep}page.tsx`)) continue;
    const dir = relative(appDir, join(appDir, entry, ".."));
    routes.push(`/${dir.split(sep).filter(Boolean).join("/")}`);
  }
  return routes.sort((a, b) => (a === "/" ? -1 : b === "/" ? 1 : a.localeCompare(b)));
}

/** Compressed as the README's figures are: gzip at its best level. */
const gzipped = (body: Buffer) => gzipSync(body, { level: 9 }).length;

/** The address a route is loaded at: the run page shows `runId`; a route with another parameter is refused. */
function pathOf(route: string, runId: string): string {
  const path = route.replace("/findings/[id]", `/findings/${encodeURIComponent(runId)}`);
  if (path.includes("[")) throw new Error(`the page-weight phase does not know what to put in ${route}`);
  return path;
}

export async function pageWeight(bench: Bench, report: Report): Promise<void> {
  const { consoleUrl } = bench;
  report.say(`## 5. Page weight (first-load JavaScript, production build)`);
  report.say();
  report.say(
    `Scripts a modern browser loads with the page (\`nomodule\` polyfills are only for browsers without modules), and the chunks those scripts load on demand afterwards (the contract schemas with the first request, the run page's cards beside it). Every page in \`app/\`; the sign-in page as a visitor, the others as a signed-in viewer.`,
  );
  report.say();
  // A finished run to show: one of the read path's, or a fresh one when that phase did not run.
  let runId = bench.seeded[0];
  if (!runId) {
    runId = bench.nextId("page");
    await bench.post(`${bench.ingressUrl}/RemediationWorkflow/${runId}/run`, bench.lowFinding(runId));
  }
  const login = await fetch(`${consoleUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: consoleUrl },
    body: JSON.stringify(bench.viewer),
  });
  if (!login.ok) throw new Error(`bench sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  const rows: string[][] = [];
  for (const route of consolePageRoutes()) {
    const path = pathOf(route, runId);
    // The sign-in page is loaded as someone who has not signed in yet.
    const signedIn = route !== "/sign-in";
    const page = await fetch(`${consoleUrl}${path}`, { headers: signedIn ? { cookie } : {}, redirect: "manual" });
    if (page.status !== 200) throw new Error(`${path} answered ${page.status} to ${signedIn ? "a signed-in viewer" : "a visitor"}`);
    const html = await page.text();
    const tags = [...html.matchAll(/<script[^>]+src="([^"]+)"[^>]*>/g)];
    const modern = [...new Set(tags.filter((m) => !/nomodule/i.test(m[0])).map((m) => m[1]!))];
    const legacy = [...new Set(tags.filter((m) => /nomodule/i.test(m[0])).map((m) => m[1]!))];
    const fetchScript = async (src: string) => Buffer.from(await (await fetch(new URL(src, consoleUrl))).arrayBuffer());
    let raw = 0;
    let gzip = 0;
    const bodies: string[] = [];
    for (const src of modern) {
      const body = await fetchScript(src);
      bodies.push(body.toString("utf8"));
      raw += body.length;
      gzip += gzipped(body);
    }
    // Chunks named inside the loaded scripts but not loaded with the page: what a dynamic import() fetches later.
    const loaded = new Set(modern.map((src) => src.split("/").pop()));
    const onDemand = new Set(
      bodies.flatMap((body) => [...body.matchAll(/static\/chunks\/([\w.-]+\.js)/g)].map((m) => m[1]!)).filter((file) => !loaded.has(file)),
    );
    let lazyGzip = 0;
    for (const file of onDemand) lazyGzip += gzipped(await fetchScript(`/_next/static/chunks/${file}`));
    let legacyGzip = 0;
    for (const src of legacy) legacyGzip += gzipped(await fetchScript(src));
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    // The first load to a tenth: pages sit within a KiB of the target, where whole KiB would round across it.
    const first = `${(gzip / 1024).toFixed(1)} KiB`;
    rows.push([route.replace("[id]", "{id}"), String(modern.length), kib(raw), first, `${kib(lazyGzip)} (${onDemand.size} chunks)`, kib(legacyGzip)]);
  }
  report.table(["page", "scripts", "raw", "gzip -9 (target ≤ 150 KiB)", "loaded on demand, gzip", "nomodule polyfills, gzip"], rows);
  report.say();
}
