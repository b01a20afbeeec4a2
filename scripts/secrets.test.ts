import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base58, identityPublicKeyOf } from "./secrets";

describe("request identity keys", () => {
  it("encodes base58 with Bitcoin's alphabet, leading zero bytes as 1s", () => {
    expect(base58(Buffer.from("Hello World!"))).toBe("2NEpo7TZRRrLZSi2U");
    expect(base58(Uint8Array.from([0, 0, 1]))).toBe("112");
  });

  it("derives the publickeyv1_ form of an ed25519 key", () => {
    const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(identityPublicKeyOf(pem)).toMatch(/^publickeyv1_[1-9A-HJ-NP-Za-km-z]{43,44}$/);
  });
});
