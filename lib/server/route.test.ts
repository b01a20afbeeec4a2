import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { ApiRouteError } from "./errors";
import { jsonObject, route } from "./route";
import { callRoute, installTestOperators } from "@/lib/test/route-harness";

beforeAll(async () => {
  await installTestOperators();
});

const echo = route(
  {
    name: "POST /test/{id}",
    params: z.object({ id: z.string().regex(/^[a-z]+$/, "must be lowercase letters") }),
    query: z.object({ verbose: z.enum(["yes", "no"]).default("no") }),
    body: jsonObject(z.object({ count: z.number().int() }).strict()),
  },
  async ({ params, query, body }) => ({ status: 201, json: { id: params.id, verbose: query.verbose, count: body.count } }),
);

describe("route", () => {
  it("hands the handler validated params, query and body, and answers its JSON and status", async () => {
    const answer = await callRoute(echo, "/test/abc?verbose=yes", { method: "POST", body: { count: 2 }, params: { id: "abc" } });
    expect(answer).toMatchObject({ status: 201, body: { id: "abc", verbose: "yes", count: 2 } });
  });

  it.each([
    ["a bad path parameter", "/test/ABC", { count: 1 }, { id: "ABC" }, "id"],
    ["a bad query value", "/test/abc?verbose=maybe", { count: 1 }, { id: "abc" }, "verbose"],
    ["a bad body field", "/test/abc", { count: "two" }, { id: "abc" }, "count"],
    ["an unknown body field", "/test/abc", { count: 1, admin: true }, { id: "abc" }, "admin"],
  ])("answers 422 with the field for %s", async (_, path, body, params, field) => {
    const answer = await callRoute(echo, path, { method: "POST", body, params });
    expect(answer.status).toBe(422);
    expect(ApiErrorSchema.parse(answer.body).error.fields).toHaveProperty(field);
  });

  it("passes an ApiRouteError through as its code and status", async () => {
    const failing = route({ name: "GET /conflict" }, async () => {
      throw new ApiRouteError("conflict", "Already decided.");
    });
    expect(await callRoute(failing, "/conflict")).toMatchObject({ status: 409, body: { error: { code: "conflict", message: "Already decided." } } });
  });

  it("turns an unexpected failure into a 500 that leaks nothing, and logs the cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const failing = route({ name: "GET /boom" }, async () => {
      throw new Error("password=hunter2 at /srv/secret.ts:12");
    });
    const answer = await callRoute(failing, "/boom");
    expect(answer).toMatchObject({ status: 500, body: { error: { code: "internal", message: "Something went wrong on the server." } } });
    expect(JSON.stringify(answer.body)).not.toContain("hunter2");
    expect(log).toHaveBeenCalledWith("[GET /boom] internal error", expect.any(Error));
    log.mockRestore();
  });

  it("answers 401 to nobody before it reads the body, and 403 to a role without the permission", async () => {
    const submitOnly = route({ name: "POST /submit-only", access: "submit", body: jsonObject(z.object({ n: z.number() })) }, async ({ operator }) => ({
      json: { by: operator.username },
    }));
    const nobody = await callRoute(submitOnly, "/submit-only", { method: "POST", body: { n: "not a number" }, as: null });
    expect(nobody.status).toBe(401);
    expect(ApiErrorSchema.parse(nobody.body).error.code).toBe("unauthorized");
    expect((await callRoute(submitOnly, "/submit-only", { method: "POST", body: { n: 1 }, as: "vic" })).status).toBe(403);
    expect((await callRoute(submitOnly, "/submit-only", { method: "POST", body: { n: 1 }, as: "ana" })).status).toBe(403);
    expect(await callRoute(submitOnly, "/submit-only", { method: "POST", body: { n: 1 }, as: "sam" })).toMatchObject({ status: 200, body: { by: "sam" } });
  });

  it("caps bodies at 64 KiB unless the route says otherwise (an upload)", async () => {
    const schema = jsonObject(z.object({ text: z.string() }));
    const ordinary = route({ name: "POST /ordinary", body: schema }, async ({ body }) => ({ json: { length: body.text.length } }));
    const upload = route({ name: "POST /upload", body: schema, maxBodyBytes: 5 * 1024 * 1024 }, async ({ body }) => ({ json: { length: body.text.length } }));
    const big = { text: "x".repeat(200 * 1024) };
    const refused = await callRoute(ordinary, "/ordinary", { method: "POST", body: big });
    expect(refused.status).toBe(413);
    expect(ApiErrorSchema.parse(refused.body).error.message).toBe("The request body is larger than this route accepts (64 KiB).");
    expect(await callRoute(upload, "/upload", { method: "POST", body: big })).toMatchObject({ status: 200, body: { length: 200 * 1024 } });
    expect((await callRoute(upload, "/upload", { method: "POST", body: { text: "x".repeat(6 * 1024 * 1024) } })).status).toBe(413);
  });
});
