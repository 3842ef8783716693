import { randomBytes } from "node:crypto";

import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

/** The stable URL's use case against the embedded S3: remembered lookups and its own bound. */

const load = async () => ({
  ...(await import("./helpers")),
  ...(await import("@/lib/avatars/stable-avatar")),
  ...(await import("@/lib/metrics/registry")),
  ...(await import("@/lib/avatars/current-avatar")),
});

async function s3Calls(): Promise<number> {
  const { appMetrics } = await import("@/lib/metrics/registry");
  const metric = await appMetrics().s3Requests.get();
  return metric.values.reduce((sum, value) => sum + value.value, 0);
}

describe("stable URL lookups", () => {
  it("a second miss within the TTL makes no S3 call; a save on this instance shows at once", async () => {
    const { stableAvatar, ensureBucket, newTestUser, writeCurrent } = await load();
    await ensureBucket();
    const user = newTestUser();
    const before = await s3Calls();
    expect(await stableAvatar(user, 64, { fallback: "default" })).toMatchObject({ kind: "default", notModified: false });
    const afterFirst = await s3Calls();
    expect(afterFirst - before).toBe(2); // the pointer, then the profile: both missing
    expect(await stableAvatar(user, 64, { fallback: "default" })).toMatchObject({ kind: "default", notModified: false });
    expect(await stableAvatar(user, 128, { fallback: "none" })).toEqual({ kind: "none" });
    expect(await s3Calls()).toBe(afterFirst);
    // A pointer written through this instance is not hidden by the remembered miss.
    await writeCurrent(user, "9998000000000aaaaaaaaaaaa".slice(0, 25), undefined);
    expect(await stableAvatar(user, 64, { fallback: "default" })).toMatchObject({ kind: "redirect" });
  });

  it("a save through another instance: others may see the remembered miss for the TTL, the owner (fresh) sees the save at once", async () => {
    const { stableAvatar, ensureBucket, newTestUser } = await load();
    const { putJson } = await import("@/lib/storage/objects");
    const { currentAvatarKey, RENDITION_SIZES } = await import("@/lib/storage/keys");
    await ensureBucket();
    const user = newTestUser();
    expect(await stableAvatar(user, 64, { fallback: "default" })).toMatchObject({ kind: "default" });
    // Another instance writes the pointer: this one's remembered miss is not told.
    const avatarId = "9997000000000aaaaaaaaaaaa".slice(0, 25);
    await putJson(currentAvatarKey(user), { version: 1, avatarId, sizes: [...RENDITION_SIZES], updatedAt: new Date().toISOString() });
    expect(await stableAvatar(user, 64, { fallback: "default" })).toMatchObject({ kind: "default" });
    const before = await s3Calls();
    const owner = await stableAvatar(user, 64, { fallback: "default", fresh: true });
    expect(owner).toMatchObject({ kind: "redirect" });
    expect(owner.kind === "redirect" && owner.location).toContain(`/renditions/${avatarId}/64.webp`);
    expect((await s3Calls()) - before).toBe(1); // the pointer only
    // What the owner read is remembered for everyone on this instance.
    expect(await stableAvatar(user, 64, { fallback: "default" })).toMatchObject({ kind: "redirect" });
  });

  it("ids not looked up lately go through a bound of their own: past it 503 server_busy with Retry-After", async () => {
    const { stableAvatar, newTestUser } = await load();
    const before = await s3Calls();
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => stableAvatar(newTestUser(), 64, { fallback: "default" })));
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    const served = results.length - refused.length;
    console.log(`60 concurrent lookups of new ids: ${served} served, ${refused.length} refused, ${(await s3Calls()) - before} S3 calls`);
    expect(served).toBeGreaterThanOrEqual(20); // 4 running + 16 waiting at least
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "server_busy", status: 503, retryAfterSeconds: 1 });
    // Refused requests cost S3 nothing: two calls per served id.
    expect((await s3Calls()) - before).toBe(served * 2);
  });
});

describe("GET /avatars/<user id>/<size>", () => {
  const ask = async (userId: string, headers: Record<string, string> = {}) => {
    const { GET } = await import("@/app/avatars/[userId]/[size]/route");
    const request = new NextRequest(`http://127.0.0.1:3999/avatars/${userId}/64`, { headers });
    return GET(request, { params: Promise.resolve({ userId, size: "64" }) });
  };
  const madeUp = (issued: string) => `${issued.slice(0, 20)}${issued.slice(20) === "00000000" ? "00000001" : "00000000"}`;

  it("an id this deployment never issued is 404 at once: no S3 call, no drawing, no session read", async () => {
    const { ensureBucket, newTestUser } = await load();
    await ensureBucket();
    const before = await s3Calls();
    const ids = [madeUp(newTestUser()), ...Array.from({ length: 20 }, () => randomBytes(14).toString("hex"))];
    for (const id of ids) {
      // A session cookie (anyone can send one) does not make it read the session either: outside
      // a request Next.js serves, reading it would throw.
      const answer = await ask(id, { cookie: "next-auth.session-token=anything" });
      expect(answer.status, id).toBe(404);
      expect(answer.headers.get("content-type")).toContain("application/json");
      expect(await answer.json()).toMatchObject({ error: { code: "avatar_not_found" } });
    }
    expect(await s3Calls()).toBe(before);
  });

  it("an id it issued to someone without an avatar gets the drawn default, read from S3", async () => {
    const { newTestUser } = await load();
    const before = await s3Calls();
    const answer = await ask(newTestUser());
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/webp");
    expect((await s3Calls()) - before).toBe(2);
  });
});
