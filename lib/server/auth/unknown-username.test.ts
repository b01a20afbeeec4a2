import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { BCRYPT_COST } from "@/scripts/operators";
import { DUMMY_HASH } from "./operators";

describe("the hash an unknown username is checked against", () => {
  it("is a real bcrypt hash at the cost new operators get, so it takes as long as their wrong password", () => {
    expect(bcrypt.getRounds(DUMMY_HASH)).toBe(BCRYPT_COST);
    expect(bcrypt.compareSync("", DUMMY_HASH)).toBe(false);
    expect(bcrypt.compareSync("no operator has this password", DUMMY_HASH)).toBe(true);
  });
});
