import { describe, expect, it } from "vitest";

import {
  AVATAR_ID_PATTERN,
  avatarCreatedAt,
  avatarIdFromHistoryKey,
  cropKey,
  currentAvatarKey,
  historyKey,
  isAvatarId,
  isUploadId,
  newAvatarId,
  newUploadId,
  originalKey,
  renditionKey,
  uploadPrefix,
} from "./keys";

const user = "0123456789abcdef01234567";
const upload = "0123456789abcdef0123456789abcdef";

describe("ids", () => {
  it("mints upload ids that are random and match their own pattern", () => {
    const ids = new Set(Array.from({ length: 1000 }, newUploadId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(isUploadId(id)).toBe(true);
  });

  it("mints avatar ids whose lexicographic order is newest first and which carry their creation time", () => {
    const older = newAvatarId(Date.UTC(2026, 0, 1));
    const newer = newAvatarId(Date.UTC(2026, 5, 1));
    expect(older).toMatch(AVATAR_ID_PATTERN);
    expect([older, newer].sort()).toEqual([newer, older]);
    expect(avatarCreatedAt(newer).toISOString()).toBe("2026-06-01T00:00:00.000Z");
  });

  it.each(["../etc/passwd", "%2e%2e%2f", "/abs/path", "0123456789ABCDEF0123456789ABCDEF", "a".repeat(33), "é".repeat(32), "0123456789abcdef0123456789abcde\u0000", ""])(
    "rejects %j as an upload id",
    (value) => {
      expect(isUploadId(value)).toBe(false);
      expect(() => originalKey(user, value)).toThrow(/invalid upload id/);
    },
  );

  it("refuses to build a key for a user id that is not one", () => {
    expect(() => uploadPrefix("../other", upload)).toThrow(/invalid user id/);
    expect(() => currentAvatarKey("someone/else")).toThrow(/invalid user id/);
  });
});

describe("keys", () => {
  const avatar = newAvatarId(Date.UTC(2026, 10, 26));

  it("puts every object of an upload under the user's own upload prefix", () => {
    const prefix = `uploads/${user}/${upload}/`;
    expect(uploadPrefix(user, upload)).toBe(prefix);
    expect(originalKey(user, upload)).toBe(`${prefix}original`);
    expect(cropKey(user, upload, avatar, 256)).toBe(`${prefix}crops/${avatar}/256.webp`);
    expect(() => cropKey(user, upload, avatar, 300 as 256)).toThrow(/rendition size/);
  });

  it("puts avatars, their history record and the current pointer under the user's avatars prefix", () => {
    expect(renditionKey(user, avatar, 128)).toBe(`avatars/${user}/renditions/${avatar}/128.webp`);
    expect(historyKey(user, avatar)).toBe(`avatars/${user}/history/${avatar}.json`);
    expect(currentAvatarKey(user)).toBe(`avatars/${user}/current.json`);
  });

  it("reads an avatar id back from a history key, and nothing from a foreign or odd key", () => {
    expect(avatarIdFromHistoryKey(user, historyKey(user, avatar))).toBe(avatar);
    expect(avatarIdFromHistoryKey(user, `avatars/ffffffffffffffffffffffff/history/${avatar}.json`)).toBeUndefined();
    expect(avatarIdFromHistoryKey(user, `avatars/${user}/history/not-an-id.json`)).toBeUndefined();
    expect(isAvatarId(avatar)).toBe(true);
  });
});
