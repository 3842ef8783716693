import { describe, expect, it } from "vitest";

import { routePattern, UNMATCHED_ROUTE } from "./route-pattern";

describe("routePattern", () => {
  it("puts each param's name where its value was", () => {
    const uploadId = "0123456789abcdef0123456789abcdef";
    expect(routePattern(`/api/uploads/${uploadId}/crop`, { uploadId })).toBe("/api/uploads/[uploadId]/crop");
    expect(routePattern(`/api/uploads/${uploadId}`, { uploadId })).toBe("/api/uploads/[uploadId]");
    expect(routePattern("/avatars/0123456789abcdef0123456789ab/128", { userId: "0123456789abcdef0123456789ab", size: "128" })).toBe("/avatars/[userId]/[size]");
  });

  it("leaves a static route as it is", () => {
    expect(routePattern("/api/uploads", {})).toBe("/api/uploads");
    expect(routePattern("/api/metrics", {})).toBe("/api/metrics");
    expect(routePattern("/api/health", undefined)).toBe("/api/health"); // what Next gives a static route's handler
  });

  it("matches params in order, so equal values and values equal to a later static segment land right", () => {
    expect(routePattern("/avatars/64/64", { userId: "64", size: "64" })).toBe("/avatars/[userId]/[size]");
    expect(routePattern("/api/avatars/select/select", { avatarId: "select" })).toBe("/api/avatars/[avatarId]/select");
  });

  it("compares with the decoded segment, as Next decodes params", () => {
    expect(routePattern("/api/uploads/a%20b%2Fc/finish", { uploadId: "a b/c" })).toBe("/api/uploads/[uploadId]/finish");
    expect(routePattern("/api/uploads/%E0%A4%A/finish", { uploadId: "%E0%A4%A" })).toBe("/api/uploads/[uploadId]/finish");
  });

  it("writes a catch-all as [...name], and skips an empty optional one", () => {
    expect(routePattern("/api/auth/callback/github", { nextauth: ["callback", "github"] })).toBe("/api/auth/[...nextauth]");
    expect(routePattern("/docs", { slug: [] })).toBe("/docs");
  });

  it("never returns a path with an id in it: a param not in the path is unmatched", () => {
    expect(routePattern("/api/uploads/0123456789abcdef0123456789abcdef/crop", { uploadId: "something-else" })).toBe(UNMATCHED_ROUTE);
  });
});
