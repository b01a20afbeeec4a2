// 5. Page weight: first-load JavaScript of the dashboard and the run page, signed in as a viewer.
import { gzipSync } from "node:zlib";
import type { Bench } from "../bench-stack";
import type { Report } from "../report";

export async function pageWeight(bench: Bench, report: Report): Promise<void> {
  const { consoleUrl } = bench;
  report.say(`## 5. Page weight (first-load JavaScript, production build)`);
  report.say();
  report.say(
    `Scripts a modern browser loads with the page (\`nomodule\` polyfills are only for browsers without modules), and the chunks those scripts load on demand afterwards (the contract schemas, with the first request).`,
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
  for (const [name, path] of [
    ["dashboard", "/"],
    ["run page", `/findings/${runId}`],
  ] as const) {
    const page = await fetch(`${consoleUrl}${path}`, { headers: { cookie }, redirect: "manual" });
    if (page.status !== 200) throw new Error(`${path} answered ${page.status} to a signed-in viewer`);
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
      gzip += gzipSync(body).length;
    }
    // Chunks named inside the loaded scripts but not loaded with the page: what a dynamic import() fetches later.
    const loaded = new Set(modern.map((src) => src.split("/").pop()));
    const onDemand = new Set(
      bodies.flatMap((body) => [...body.matchAll(/static\/chunks\/([\w.-]+\.js)/g)].map((m) => m[1]!)).filter((file) => !loaded.has(file)),
    );
    let lazyGzip = 0;
    for (const file of onDemand) lazyGzip += gzipSync(await fetchScript(`/_next/static/chunks/${file}`)).length;
    let legacyGzip = 0;
    for (const src of legacy) legacyGzip += gzipSync(await fetchScript(src)).length;
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    rows.push([
      `${name} (${path.replace(/findings\/.*/, "findings/{id}")})`,
      String(modern.length),
      kib(raw),
      kib(gzip),
      `${kib(lazyGzip)} (${onDemand.size} chunks)`,
      kib(legacyGzip),
    ]);
  }
  report.table(["page", "scripts", "raw", "gzip (target ≤ 150 KiB)", "loaded on demand, gzip", "nomodule polyfills, gzip"], rows);
  report.say();
}
