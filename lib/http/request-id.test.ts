import { describe, expect, it } from "vitest";

import { requestIdFrom } from "./request-id";

describe("requestIdFrom", () => {
  it("keeps a sane incoming id", () => {
    expect(requestIdFrom("lb-1234abcd")).toBe("lb-1234abcd");
  });

  it.each([null, undefined, "", "short", "has space in it", "x".repeat(129), "evil\r\nset-cookie: a=b"])("replaces %j with a fresh UUID", (incoming) => {
    expect(requestIdFrom(incoming)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
