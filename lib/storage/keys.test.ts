import { describe, expect, it } from "vitest";

import {
  AVATAR_ID_PATTERN,
  avatarCreatedAt,
  avatarIdFromHistoryKey,
  conditionalWriteProbeKey,
  cropIdFromCropKey,
  cropKey,
  cropsPrefix,
  currentAvatarKey,
  profileKey,
  historyKey,
  isAvatarId,
  isUploadId,
  isUserId,
  newAvatarId,
  newUploadId,
  originalKey,
  avatarsPrefix,
  historyPrefix,
  renditionKey,
  renditionsPrefix,
  slotFromUploadSlotKey,
  uploadPrefix,
  uploadSlotKey,
  uploadsStartedPrefix,
  uploadStartedKey,
  userUploadsPrefix,
} from "./keys";

const user = "0123456789abcdef0123456789ab";
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
    expect(() => profileKey("someone/else")).toThrow(/invalid user id/);
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
    expect(profileKey(user)).toBe(`avatars/${user}/profile.json`);
  });

  it("reads an avatar id back from a history key, and nothing from a foreign or odd key", () => {
    expect(avatarIdFromHistoryKey(user, historyKey(user, avatar))).toBe(avatar);
    expect(avatarIdFromHistoryKey(user, `avatars/ffffffffffffffffffffffff/history/${avatar}.json`)).toBeUndefined();
    expect(avatarIdFromHistoryKey(user, `avatars/${user}/history/not-an-id.json`)).toBeUndefined();
    expect(isAvatarId(avatar)).toBe(true);
  });

  it("lists an upload's crops under one prefix and reads each rendition's crop id back, nothing from other keys", () => {
    expect(cropsPrefix(user, upload)).toBe(`uploads/${user}/${upload}/crops/`);
    for (const size of [512, 64] as const) expect(cropIdFromCropKey(user, upload, cropKey(user, upload, avatar, size))).toBe(avatar);
    for (const key of [
      originalKey(user, upload),
      `${cropsPrefix(user, upload)}${avatar}`,
      `${cropsPrefix(user, upload)}${avatar}/`,
      `${cropsPrefix(user, upload)}not-an-id/512.webp`,
      `${cropsPrefix(user, upload)}${avatar}/deeper/512.webp`,
      cropKey(user, "fedcba9876543210fedcba9876543210", avatar, 512),
    ]) {
      expect(cropIdFromCropKey(user, upload, key), key).toBeUndefined();
    }
  });
});

describe("a user's prefixes (what 'delete my data' empties)", () => {
  const avatar = newAvatarId(Date.UTC(2026, 10, 26));

  it("hold every key of the user, uploads and quota keys and saved avatars alike, and nobody else's", () => {
    const uploads = userUploadsPrefix(user);
    const avatars = avatarsPrefix(user);
    expect(uploads).toBe(`uploads/${user}/`);
    expect(avatars).toBe(`avatars/${user}/`);
    for (const key of [originalKey(user, upload), cropKey(user, upload, avatar, 64), uploadSlotKey(user, 493_000, 3), uploadStartedKey(user, 493_000, upload)]) {
      expect(key.startsWith(uploads), key).toBe(true);
    }
    for (const key of [renditionKey(user, avatar, 512), historyKey(user, avatar), currentAvatarKey(user)]) expect(key.startsWith(avatars), key).toBe(true);
    expect(renditionKey(user, avatar, 512).startsWith(renditionsPrefix(user))).toBe(true);
    expect(historyKey(user, avatar).startsWith(historyPrefix(user))).toBe(true);
    expect(() => userUploadsPrefix("")).toThrow(/invalid user id/);
    expect(() => userUploadsPrefix("_probes")).toThrow(/invalid user id/);
  });
});

describe("upload quota keys", () => {
  const hour = 493_000;

  it("puts the hour's slots and the fallback's markers under one prefix per user and hour", () => {
    expect(uploadsStartedPrefix(user, hour)).toBe(`uploads/${user}/started/${hour}/`);
    expect(uploadSlotKey(user, hour, 0)).toBe(`uploads/${user}/started/${hour}/slot-0`);
    expect(uploadSlotKey(user, hour, 29)).toBe(`uploads/${user}/started/${hour}/slot-29`);
    expect(uploadStartedKey(user, hour, upload)).toBe(`uploads/${user}/started/${hour}/${upload}`);
    expect(() => uploadSlotKey("../other", hour, 0)).toThrow(/invalid user id/);
    for (const slot of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => uploadSlotKey(user, hour, slot)).toThrow(/slot/);
  });

  it("reads a slot back from its key, and nothing from a marker, another hour or an odd name", () => {
    expect(slotFromUploadSlotKey(user, hour, uploadSlotKey(user, hour, 7))).toBe(7);
    expect(slotFromUploadSlotKey(user, hour, uploadSlotKey(user, hour, 0))).toBe(0);
    for (const key of [
      uploadStartedKey(user, hour, upload),
      uploadSlotKey(user, hour + 1, 7),
      `${uploadsStartedPrefix(user, hour)}slot-`,
      `${uploadsStartedPrefix(user, hour)}slot-07`,
      `${uploadsStartedPrefix(user, hour)}slot-7x`,
      `${uploadsStartedPrefix(user, hour)}slot--1`,
    ]) {
      expect(slotFromUploadSlotKey(user, hour, key), key).toBeUndefined();
    }
  });

  it("puts the conditional-write probe under uploads/ (the lifecycle rule expires it) where no user's keys can be", () => {
    expect(conditionalWriteProbeKey("0123abcd")).toBe("uploads/_probes/conditional-writes/0123abcd");
    expect(isUserId("_probes")).toBe(false);
    expect(() => conditionalWriteProbeKey("../x")).toThrow(/probe key/);
  });
});
