import { describe, expect, it } from "vitest";

/** "Delete my data" ends the user's other sessions: the record in the embedded S3 and each instance's memory of it. */

const load = async () => ({
  ...(await import("./helpers")),
  ...(await import("@/lib/auth/sessions-ended")),
  ...(await import("@/lib/storage/objects")),
  ...(await import("@/lib/storage/keys")),
});

describe("ending a user's other sessions", () => {
  it("refuses the user's older sessions at once on this instance and keeps the caller's and later ones", async () => {
    const { ensureBucket, newTestUser, endOtherSessions, isSessionEnded } = await load();
    await ensureBucket();
    const user = newTestUser();
    const now = Date.now();
    expect(await isSessionEnded(user, { sid: "phone", at: now - 60_000 }, now)).toBe(false);
    await endOtherSessions(user, "laptop", now);
    expect(await isSessionEnded(user, { sid: "phone", at: now - 60_000 }, now)).toBe(true);
    expect(await isSessionEnded(user, { sid: "laptop", at: now - 120_000 }, now)).toBe(false);
    expect(await isSessionEnded(user, { sid: "tablet", at: now + 1 }, now + 1)).toBe(false);
    // Another user is untouched.
    expect(await isSessionEnded(newTestUser(), { sid: "phone", at: now - 60_000 }, now)).toBe(false);
  });

  it("another instance's end is seen once this instance's memory of the record runs out (ENDED_TTL_MS)", async () => {
    const { ensureBucket, newTestUser, isSessionEnded, putJson, sessionsEndedKey, ENDED_TTL_MS } = await load();
    await ensureBucket();
    const user = newTestUser();
    const now = Date.now();
    const phone = { sid: "phone", at: now - 60_000 };
    expect(await isSessionEnded(user, phone, now)).toBe(false);
    // Written by another instance: this one is not told.
    await putJson(sessionsEndedKey(user), { version: 1, endedAt: now, kept: "laptop" });
    expect(await isSessionEnded(user, phone, now + ENDED_TTL_MS - 1)).toBe(false);
    expect(await isSessionEnded(user, phone, now + ENDED_TTL_MS)).toBe(true);
  });
});
