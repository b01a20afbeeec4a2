// The console's HTTP boundary, with real route handlers and no Restate: bodies are capped before they
// are parsed.
import { beforeAll, describe, expect, it } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { installTestOperators, passwordOf } from "@/lib/server/testing";

let login: typeof import("./auth/login/route");
beforeAll(async () => {
  await installTestOperators();
  login = await import("./auth/login/route");
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

  it("still signs in with an ordinary body", async () => {
    const text = JSON.stringify({ username: "ana", password: passwordOf("ana") });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    expect((await postLogin(stream)).status).toBe(200);
  });
});
