// The console's HTTP boundary, with real route handlers and no Restate (everything here is refused
// before Restate would be called): bodies are capped before they are parsed, odd keys and hidden
// characters get a message that names them.
import { beforeAll, describe, expect, it } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { callRoute, installTestOperators, passwordOf } from "@/lib/test/route-harness";

let login: typeof import("./auth/login/route");
let findings: typeof import("./findings/route");
beforeAll(async () => {
  await installTestOperators();
  login = await import("./auth/login/route");
  findings = await import("./findings/route");
});

const MiB = 1024 * 1024;

/** A body that makes its bytes only when read (up to `total`), and tells how many were read. */
function lazyBody(total: number, chunkBytes = 16 * 1024) {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        counter.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function postLogin(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  const request = new Request("http://console.test/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return login.POST(request, { params: Promise.resolve({}) });
}

describe("request bodies", () => {
  it("refuses a 100 MB declared body with 413 before reading any of it", async () => {
    const { stream, counter } = lazyBody(100 * MiB);
    const answer = await postLogin(stream, { "content-length": String(100 * MiB) });
    expect(answer.status).toBe(413);
    expect(ApiErrorSchema.parse(await answer.json()).error).toEqual({
      code: "payload_too_large",
      message: "The request body is larger than this route accepts (64 KiB).",
    });
    expect(counter.pulled).toBe(0);
  });

  it("stops reading a chunked body as soon as it passes the cap, and answers 413", async () => {
    const { stream, counter } = lazyBody(100 * MiB);
    const answer = await postLogin(stream);
    expect(answer.status).toBe(413);
    expect(ApiErrorSchema.parse(await answer.json()).error.code).toBe("payload_too_large");
    // At most one chunk past 64 KiB was made, of the 100 MiB on offer.
    expect(counter.pulled).toBeLessThanOrEqual(64 * 1024 + 2 * 16 * 1024);
  });

  it("still reads an ordinary streamed body (a wrong password is checked, not refused for size)", async () => {
    const text = JSON.stringify({ username: "ana", password: `${passwordOf("ana")}-wrong` });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    const answer = await postLogin(stream);
    expect(answer.status).toBe(401);
    expect(ApiErrorSchema.parse(await answer.json()).error.message).toMatch(/wrong password/);
  });
});

describe("keys and text the schemas refuse", () => {
  it.each([["__proto__"], ["constructor"]])("names an unknown %s key instead of answering an empty message", async (key) => {
    const body = `{"id":"cve-proto","source":"snyk","severity":"low","description":"d","repo":"web-app","${key}":{"admin":true}}`;
    const answer = await callRoute(findings.POST, "/api/findings", { method: "POST", body });
    expect(answer.status).toBe(422);
    const { error } = ApiErrorSchema.parse(answer.body);
    expect(error.message).toBe(`Invalid body: ${key}: ${key} is not a known field`);
    // Read as JSON text, the key is an own field of `fields` (not a prototype).
    expect(Object.hasOwn((answer.body as { error: { fields: object } }).error.fields, key)).toBe(true);
  });

  it("refuses a finding whose description hides itself, naming the field and the character", async () => {
    const answer = await callRoute(findings.POST, "/api/findings", {
      method: "POST",
      body: { id: "cve-bidi", source: "snyk", severity: "low", description: "fine \u202Etxt.exe", repo: "web-app" },
    });
    expect(answer.status).toBe(422);
    expect(ApiErrorSchema.parse(answer.body).error.fields).toEqual({
      description: "description must not contain bidirectional override or isolate characters (found U+202E)",
    });
  });
});
