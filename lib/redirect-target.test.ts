import { describe, expect, it } from "vitest";
import { afterSignIn, sameOriginTarget } from "./redirect-target";

const CONSOLE = "http://127.0.0.1:3000";

describe("sameOriginTarget", () => {
  it.each([
    ["/\\evil.example"],
    ["/\t/evil.example"],
    ["/\n/evil.example"],
    ["https:evil.example"],
    ["//evil.example"],
    ["\\/evil.example"],
    ["\\\\evil.example"],
    ["/\\/evil.example"],
    [" //evil.example"],
    ["javascript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["http://127.0.0.1.evil.example/"],
    ["http://127.0.0.1:3000@evil.example/"],
    ["https://127.0.0.1:3000/"],
    ["http://127.0.0.1:3001/"],
  ])("refuses %j, which leaves the console", (next) => {
    expect(sameOriginTarget(next, CONSOLE)).toBeNull();
    expect(afterSignIn(next, CONSOLE)).toBe(`${CONSOLE}/`);
  });

  it.each([
    ["/findings/cve-1?tab=journal#gate", `${CONSOLE}/findings/cve-1?tab=journal#gate`],
    ["/%5Cevil.example", `${CONSOLE}/%5Cevil.example`],
    // The parser collapses "/." but keeps the double slash: the absolute answer cannot become "//evil.example".
    ["/.//evil.example", `${CONSOLE}//evil.example`],
    ["http:approvals", `${CONSOLE}/approvals`],
    [`${CONSOLE}/approvals`, `${CONSOLE}/approvals`],
  ])("keeps %j on the console as %s", (next, href) => {
    expect(sameOriginTarget(next, CONSOLE)?.href).toBe(href);
    expect(afterSignIn(next, CONSOLE)).toBe(href);
  });

  it.each([[null], [undefined], [""]])("sends %j to the dashboard", (next) => {
    expect(afterSignIn(next, CONSOLE)).toBe(`${CONSOLE}/`);
  });
});
