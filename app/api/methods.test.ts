// Every API route answers a method it does not serve with 405, an Allow header naming the ones it does,
// and the error envelope; OPTIONS names the same ones. Checked on every route module under app/api.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { installTestOperators } from "@/lib/test/route-harness";

const ROUTED = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const apiDir = join(import.meta.dirname);
const routeFiles = readdirSync(apiDir, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith("route.ts"))
  .map((file) => join(apiDir, file));

beforeAll(async () => {
  await installTestOperators();
});

it("finds the console's route modules", () => {
  expect(routeFiles.length).toBeGreaterThanOrEqual(13);
});

it.each(routeFiles.map((file) => [relative(apiDir, file), file]))("%s answers every method it does not serve with 405 and Allow", async (_, file) => {
  const routeModule = (await import(file)) as Partial<Record<(typeof ROUTED)[number], Handler>>;
  const call = (method: string) => {
    const handler = method === "HEAD" && !routeModule.HEAD ? routeModule.GET : routeModule[method as keyof typeof routeModule];
    expect(handler, `${method} must be handled by the module, not left to Next's bare 405`).toBeDefined();
    return handler!(new Request("http://console.test/api/x", { method }), { params: Promise.resolve({}) });
  };
  const options = await call("OPTIONS");
  expect(options.status).toBe(204);
  const allowed = (options.headers.get("allow") ?? "").split(", ");
  expect(allowed).toContain("OPTIONS");
  for (const method of ROUTED) {
    const answer = await call(method);
    if (allowed.includes(method)) {
      expect(answer.status, `${method} is served`).not.toBe(405);
      continue;
    }
    expect(answer.status, method).toBe(405);
    expect(answer.headers.get("allow")).toBe(allowed.join(", "));
    expect(ApiErrorSchema.parse(await answer.json()).error).toEqual({
      code: "method_not_allowed",
      message: `${method} is not allowed here; this route answers ${allowed.join(", ")}.`,
    });
  }
});
