import { z } from "zod";

import { ACCEPTED_MIME_TYPES } from "@/lib/images/formats";
import { AVATAR_ID_PATTERN, UPLOAD_ID_PATTERN, USER_ID_PATTERN } from "@/lib/storage/keys";

import { INITIALS_PATTERN } from "./initials";
import { THUMB_HASH_PATTERN } from "./placeholder";

/** Every input boundary of the avatar use cases (pure; shared by handlers, pages and tests). */

export const uploadIdSchema = z.string().regex(UPLOAD_ID_PATTERN, "not an upload id");
export const avatarIdSchema = z.string().regex(AVATAR_ID_PATTERN, "not an avatar id");
export const userIdSchema = z.string().regex(USER_ID_PATTERN, "not a user id");

export const startUploadSchema = z.object({
  contentType: z.enum(ACCEPTED_MIME_TYPES, { error: "Please choose a JPEG, PNG, WebP, GIF or AVIF picture." }),
  size: z.number().int().positive("The file is empty."),
  name: z.string().max(512).optional(),
});
export type StartUploadInput = z.infer<typeof startUploadSchema>;

export const cropSchema = z.object({
  left: z.number().int().min(0),
  top: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)], {
    error: "rotation must be 0, 90, 180 or 270",
  }),
});
export type CropInput = z.infer<typeof cropSchema>;

/** POST /api/uploads/:id/finish; an empty body is `{}` (the browser shows no copy of its own). */
export const finishSchema = z.object({ previewInBrowser: z.boolean().optional() });

export const saveSchema = z.object({ cropId: avatarIdSchema });

export const listQuerySchema = z.object({
  cursor: avatarIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(12),
});

/**
 * The avatar's placeholder (lib/avatars/placeholder.ts). Optional: records written before it existed
 * have none, and stay valid. A malformed one is dropped, not a reason to lose the record.
 */
const thumbHashField = z.string().regex(THUMB_HASH_PATTERN).optional().catch(undefined);

/** The record in S3 that says which avatar is current (with its placeholder, so the header needs one read). */
export const currentAvatarRecordSchema = z.object({
  version: z.literal(1),
  avatarId: avatarIdSchema,
  sizes: z.array(z.number().int().positive()),
  updatedAt: z.string(),
  thumbHash: thumbHashField,
});
export type CurrentAvatarRecord = z.infer<typeof currentAvatarRecordSchema>;

export const historyRecordSchema = z.object({
  version: z.literal(1),
  avatarId: avatarIdSchema,
  sizes: z.array(z.number().int().positive()),
  createdAt: z.string(),
  uploadId: uploadIdSchema,
  thumbHash: thumbHashField,
});
export type HistoryRecord = z.infer<typeof historyRecordSchema>;

/**
 * What the default avatar knows about a user (avatars/<user>/profile.json): initials only, never
 * the name or e-mail address, since the stable URL that draws them is public.
 */
export const profileRecordSchema = z.object({
  version: z.literal(1),
  initials: z.string().regex(INITIALS_PATTERN),
});
export type ProfileRecord = z.infer<typeof profileRecordSchema>;

/**
 * `?d=404`: no default picture, a 404 as today (Gravatar's convention, for pages with their own
 * fallback); `?s=`: Gravatar's spelling of the size, accepted when it is the path's size. Nothing
 * else (strict): every other spelling would be one more cache entry at every cache on the way.
 */
export const stableAvatarQuerySchema = z.strictObject({ d: z.literal("404").optional(), s: z.string().regex(/^[1-9][0-9]{1,2}$/).optional() });
