import { describe, expect, it } from "vitest";

import { cropSchema, currentAvatarRecordSchema, historyRecordSchema, listQuerySchema, profileRecordSchema, saveSchema, stableAvatarQuerySchema, startUploadSchema } from "./schemas";

describe("input schemas", () => {
  it("accept only the picture types the app can read", () => {
    expect(startUploadSchema.safeParse({ contentType: "image/png", size: 10 }).success).toBe(true);
    for (const contentType of ["image/svg+xml", "text/html", "application/pdf", "image/heic", ""]) {
      expect(startUploadSchema.safeParse({ contentType, size: 10 }).success).toBe(false);
    }
    expect(startUploadSchema.safeParse({ contentType: "image/png", size: 0 }).success).toBe(false);
  });

  it("accept whole-pixel crops with a quarter-turn rotation only", () => {
    expect(cropSchema.safeParse({ left: 0, top: 0, width: 10, height: 10, rotation: 270 }).success).toBe(true);
    expect(cropSchema.safeParse({ left: 0, top: 0, width: 10, height: 10, rotation: 45 }).success).toBe(false);
    expect(cropSchema.safeParse({ left: -1, top: 0, width: 10, height: 10, rotation: 0 }).success).toBe(false);
    expect(cropSchema.safeParse({ left: 0, top: 0, width: "10", height: 10, rotation: 0 }).success).toBe(false);
  });

  it("take an avatar id as the history cursor, never an S3 token or a path", () => {
    expect(listQuerySchema.safeParse({ cursor: "0000000000000aaaaaaaaaaaa" }).success).toBe(true);
    expect(listQuerySchema.safeParse({ cursor: "../../other-user" }).success).toBe(false);
    expect(listQuerySchema.parse({}).limit).toBe(12);
    expect(listQuerySchema.safeParse({ limit: "500" }).success).toBe(false);
  });

  it("take a crop id (an avatar id) to save", () => {
    expect(saveSchema.safeParse({ cropId: "uploads/x" }).success).toBe(false);
  });

  it("keep initials only in a profile, and take only d=404 on the stable URL", () => {
    expect(profileRecordSchema.safeParse({ version: 1, initials: "AL" }).success).toBe(true);
    for (const initials of ["", "ABC", "al", "<b>", "A L"]) expect(profileRecordSchema.safeParse({ version: 1, initials }).success).toBe(false);
    expect(stableAvatarQuerySchema.parse({})).toEqual({});
    expect(stableAvatarQuerySchema.parse({ d: "404" })).toEqual({ d: "404" });
    expect(stableAvatarQuerySchema.safeParse({ d: "mp" }).success).toBe(false);
    // Strict: s (Gravatar's size) and d only; anything else is a 400, not one more cache entry.
    expect(stableAvatarQuerySchema.parse({ s: "128", d: "404" })).toEqual({ s: "128", d: "404" });
    expect(stableAvatarQuerySchema.safeParse({ v: "1" }).success).toBe(false);
    expect(stableAvatarQuerySchema.safeParse({ s: "0128" }).success).toBe(false);
  });

  it("read history records with or without a placeholder, and drop a malformed one", () => {
    const v1 = { version: 1, avatarId: "0000000000000aaaaaaaaaaaa", sizes: [512, 256, 128, 64], createdAt: "2026-12-02T00:00:00.000Z", uploadId: "a".repeat(32) };
    expect(historyRecordSchema.parse(v1)).toEqual(v1);
    expect(historyRecordSchema.parse({ ...v1, thumbHash: "1QcSHQRnh493V4dIh4eXh1h4kJUI" }).thumbHash).toBe("1QcSHQRnh493V4dIh4eXh1h4kJUI");
    const malformed = historyRecordSchema.safeParse({ ...v1, thumbHash: "<script>" });
    expect(malformed.success && malformed.data.thumbHash).toBe(undefined);
    const current = { version: 1, avatarId: v1.avatarId, sizes: v1.sizes, updatedAt: v1.createdAt };
    expect(currentAvatarRecordSchema.parse(current)).toEqual(current);
  });
});
