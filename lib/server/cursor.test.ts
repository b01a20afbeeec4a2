import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

describe("list cursor", () => {
  it("round-trips the last row's (created_at, id)", () => {
    const cursor = { createdAt: "2026-11-27T23:53:31.938Z", id: "inv_10oLsFpLYJq57m6agwflkxAFNsPKrRlhhs" };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it("round-trips an index position: (start time, id, bucket)", () => {
    const cursor = { createdAt: "2026-11-27T23:53:31.938Z", id: "inv_10oLsFpLYJq57m6agwflkxAFNsPKrRlhhs", bucket: 17 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ["not base64 JSON", "zzz"],
    ["a quote smuggled into the id", Buffer.from(JSON.stringify(["2026-11-27T23:53:31.938Z", "inv_1' OR '1'='1"])).toString("base64url")],
    ["a timestamp of another shape", Buffer.from(JSON.stringify(["yesterday", "inv_10oL"])).toString("base64url")],
    ["an object instead of a pair", Buffer.from(JSON.stringify({ createdAt: "2026-11-27T23:53:31.938Z" })).toString("base64url")],
    ["empty", ""],
    ["a bucket that is not a positive integer", Buffer.from(JSON.stringify(["2026-11-27T23:53:31.938Z", "inv_10oL", 0])).toString("base64url")],
    ["a fourth field", Buffer.from(JSON.stringify(["2026-11-27T23:53:31.938Z", "inv_10oL", 1, 2])).toString("base64url")],
    ["an impossible date of the right shape", Buffer.from(JSON.stringify(["2026-02-30T25:61:61.999Z", "inv_10oL"])).toString("base64url")],
    ["the 13th month", Buffer.from(JSON.stringify(["2026-13-01T00:00:00.000Z", "inv_10oL"])).toString("base64url")],
  ])("rejects %s", (_, text) => {
    expect(decodeCursor(text)).toBeNull();
  });
});
