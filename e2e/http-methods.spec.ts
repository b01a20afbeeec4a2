// Methods the console does not serve are client errors on the real production server, including TRACE,
// which Next.js cannot represent at all and would otherwise fail on with a 500.
import { request } from "node:http";
import { expect, test } from "./fixtures";

function send(method: string, path: string) {
  const base = new URL(process.env.E2E_BASE_URL ?? "");
  return new Promise<{ status: number; allow: string | undefined; body: string }>((resolve, reject) => {
    const outgoing = request({ host: base.hostname, port: base.port, method, path }, (answer) => {
      let body = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => (body += chunk));
      answer.on("end", () => resolve({ status: answer.statusCode ?? 0, allow: answer.headers.allow, body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

test.use({ operator: null });

for (const method of ["TRACE"]) {
  for (const path of ["/", "/api/findings", "/api/auth/login"]) {
    test(`${method} ${path} answers 405 with Allow and the error envelope`, async () => {
      const answer = await send(method, path);
      expect(answer.status).toBe(405);
      expect(answer.allow).toContain("GET");
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "method_not_allowed" } });
    });
  }
}

test("a method Node's parser does not know is a client error, never a 500", async () => {
  for (const method of ["TRACK", "PROPFIND"]) {
    const answer = await send(method, "/api/findings");
    expect(answer.status, method).toBeGreaterThanOrEqual(400);
    expect(answer.status, method).toBeLessThan(500);
  }
});

test("a method a route does not serve answers 405 on the real server too", async () => {
  const answer = await send("PUT", "/api/findings");
  expect(answer.status).toBe(405);
  expect(answer.allow).toMatch(/GET/);
  expect(answer.allow).toMatch(/POST/);
  expect(answer.allow).not.toMatch(/PUT/);
});
