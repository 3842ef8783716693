import { describe, expect, it } from "vitest";

import { safeRedirectPath } from "./redirect";

const ORIGIN = "https://avatars.example.com";

describe("safeRedirectPath", () => {
  it.each([
    "/\\evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%E0%A4%A",
    "//evil.example",
    "///evil.example",
    "/.//evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "https://evil.example/avatar/new",
    "http://avatars.example.com/", // another origin: http, not https
    "https://avatars.example.com.evil.example/",
    "https://avatars.example.com@evil.example/",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "",
    undefined,
  ])("sends %j to /", (target) => {
    expect(safeRedirectPath(target, ORIGIN)).toBe("/");
  });

  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeRedirectPath("/avatar/new/0123?x=1#top", ORIGIN)).toBe("/avatar/new/0123?x=1#top");
    expect(safeRedirectPath("/avatar/history", ORIGIN)).toBe("/avatar/history");
    expect(safeRedirectPath(`${ORIGIN}/avatar/history`, ORIGIN)).toBe("/avatar/history");
    expect(safeRedirectPath("avatar/history", ORIGIN)).toBe("/avatar/history");
  });
});
