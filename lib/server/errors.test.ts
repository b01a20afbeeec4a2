import { HttpCallError } from "@restatedev/restate-sdk-clients";
import { describe, expect, it } from "vitest";
import { FindingSchema } from "@/restate/contracts/schemas";
import { fromRestateError, invalidInput } from "./errors";

/** An error one of our handlers threw (TerminalError with an errorCode), as Restate's ingress answers it. */
const restate = (status: number, message: string) =>
  new HttpCallError(status, JSON.stringify({ code: status, message, source: "invocation" }), `Request failed: ${status}`);

describe("fromRestateError", () => {
  it.each([
    [restate(404, 'No remediation run for finding "nope".'), "not_found", 404, 'No remediation run for finding "nope".'],
    [
      restate(409, 'Finding "cve-1" was already approved by x at 2026-11-27T23:47:25.401Z.'),
      "conflict",
      409,
      'Finding "cve-1" was already approved by x at 2026-11-27T23:47:25.401Z.',
    ],
    [restate(400, "Finding id does not match the workflow key"), "invalid_input", 422, "Finding id does not match the workflow key"],
    [restate(403, "Sign-off refused: A rejection needs a comment saying why."), "forbidden", 403, "Sign-off refused: A rejection needs a comment saying why."],
    // By the handler's code, whatever its message says.
    [restate(401, "Refusal record refused: the signature does not match."), "forbidden", 403, "Refusal record refused: the signature does not match."],
    [
      new HttpCallError(401, "unauthorized", "Request failed: 401"),
      "upstream_unavailable",
      503,
      "Restate refused the console's credentials; check RESTATE_*_HEADERS.",
    ],
    // A 401 that no handler threw is about the console's credentials, even when its text reads like a refusal.
    [
      new HttpCallError(401, JSON.stringify({ code: 401, message: "Sign-off refused: bad token" }), "Request failed: 401"),
      "upstream_unavailable",
      503,
      "Restate refused the console's credentials; check RESTATE_*_HEADERS.",
    ],
    [new HttpCallError(503, "", "Request failed: 503"), "upstream_unavailable", 503, "Restate is not reachable right now; try again shortly."],
    [
      new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8080") }),
      "upstream_unavailable",
      503,
      "Restate is not reachable right now; try again shortly.",
    ],
    [
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      "upstream_unavailable",
      503,
      "Restate is not reachable right now; try again shortly.",
    ],
    [new HttpCallError(500, "panic at partition 7: /var/lib/restate", "Request failed: 500"), "internal", 500, "Something went wrong on the server."],
    [new Error("secret detail"), "internal", 500, "Something went wrong on the server."],
  ])("maps %s to %s", (error, code, status, message) => {
    const mapped = fromRestateError(error);
    expect({ code: mapped.code, status: mapped.status, message: mapped.message }).toEqual({ code, status, message });
  });
});

describe("invalidInput", () => {
  it("names every bad field, unknown fields included", () => {
    const parsed = FindingSchema.safeParse({ id: "bad id!", severity: "urgent", source: "snyk", description: "x", repo: "r", extra: 1 });
    if (parsed.success) throw new Error("expected a bad finding");
    const error = invalidInput(parsed.error, "body");
    expect(error.status).toBe(422);
    expect(error.fields).toEqual({
      id: "id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
      severity: "severity must be one of: low, medium, high, critical",
      extra: "extra is not a known field",
    });
    expect(error.message).toMatch(/^Invalid body: /);
  });
});
