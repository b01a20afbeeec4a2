import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

describe("list cursor", () => {
  it("round-trips the last row's (created_at, id)", () => {
    const cursor = { createdAt: "2026-11-27T23:53:31.938Z", id: "inv_10oLsFpLYJq57m6agwflkxAFNsPKrRlhhs" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ["not base64 JSON", "zzz"],
    ["a quote smuggled into the id", Buffer.from(JSON.stringify(["2026-11-27T23:53:31.938Z", "inv_1' OR '1'='1"])).toString("base64url")],
    ["a timestamp of another shape", Buffer.from(JSON.stringify(["yesterday", "inv_10oL"])).toString("base64url")],
    ["an object instead of a pair", Buffer.from(JSON.stringify({ createdAt: "2026-11-27T23:53:31.938Z" })).toString("base64url")],
    ["empty", ""],
  ])("rejects %s", (_, text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});
