/**
 * Every S3 key the app uses, built from the signed-in user's id and opaque ids the server minted.
 * Pure and isomorphic: the browser never builds a key, but the id formats are shared so that a
 * malformed id is refused with 400 before any S3 call is made.
 */

export const USER_ID_PATTERN = /^[0-9a-f]{24}$/;
export const UPLOAD_ID_PATTERN = /^[0-9a-f]{32}$/;
/** 13-digit reverse timestamp + 12 hex: lexicographic order is newest first, which S3 listing gives for free. */
export const AVATAR_ID_PATTERN = /^[0-9]{13}[0-9a-f]{12}$/;

export const RENDITION_SIZES = [512, 256, 128, 64] as const;
export type RenditionSize = (typeof RENDITION_SIZES)[number];

const REVERSE_TIME_BASE = 9_999_999_999_999;

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function newUploadId(): string {
  return randomHex(16);
}

export function newAvatarId(now: number = Date.now()): string {
  return `${String(REVERSE_TIME_BASE - now).padStart(13, "0")}${randomHex(6)}`;
}

export function avatarCreatedAt(avatarId: string): Date {
  return new Date(REVERSE_TIME_BASE - Number(avatarId.slice(0, 13)));
}

export const isUserId = (value: string): boolean => USER_ID_PATTERN.test(value);
export const isUploadId = (value: string): boolean => UPLOAD_ID_PATTERN.test(value);
export const isAvatarId = (value: string): boolean => AVATAR_ID_PATTERN.test(value);

export function isRenditionSize(value: number): value is RenditionSize {
  return (RENDITION_SIZES as readonly number[]).includes(value);
}

function assertId(kind: string, value: string, valid: (value: string) => boolean): void {
  // Defence in depth: handlers validate ids first, but no key may ever be built from anything else.
  if (!valid(value)) throw new Error(`refusing to build a key from an invalid ${kind} id`);
}

/** Temporary objects of one upload; a bucket lifecycle rule expires this whole prefix. */
export const UPLOADS_PREFIX = "uploads/";

export function uploadPrefix(userId: string, uploadId: string): string {
  assertId("user", userId, isUserId);
  assertId("upload", uploadId, isUploadId);
  return `${UPLOADS_PREFIX}${userId}/${uploadId}/`;
}

/** Empty markers counting the uploads a user started in one hour (see countUploadStart). */
export function uploadsStartedPrefix(userId: string, hourWindow: number): string {
  assertId("user", userId, isUserId);
  return `${UPLOADS_PREFIX}${userId}/started/${Math.trunc(hourWindow)}/`;
}

export function uploadStartedKey(userId: string, hourWindow: number, uploadId: string): string {
  assertId("upload", uploadId, isUploadId);
  return `${uploadsStartedPrefix(userId, hourWindow)}${uploadId}`;
}

export const originalKey = (userId: string, uploadId: string) => `${uploadPrefix(userId, uploadId)}original`;
export const previewKey = (userId: string, uploadId: string) => `${uploadPrefix(userId, uploadId)}preview.webp`;

/** A crop is stored as its renditions; saving it copies them under AVATARS_PREFIX. */
export function cropKey(userId: string, uploadId: string, cropId: string, size: RenditionSize): string {
  assertId("crop", cropId, isAvatarId);
  if (!isRenditionSize(size)) throw new Error("refusing to build a key for a size that is not a rendition size");
  return `${uploadPrefix(userId, uploadId)}crops/${cropId}/${size}.webp`;
}

/** Saved avatars: renditions, history records and the current pointer, kept until the user deletes them. */
export const AVATARS_PREFIX = "avatars/";

export function avatarsPrefix(userId: string): string {
  assertId("user", userId, isUserId);
  return `${AVATARS_PREFIX}${userId}/`;
}

export const historyPrefix = (userId: string) => `${avatarsPrefix(userId)}history/`;
export const currentAvatarKey = (userId: string) => `${avatarsPrefix(userId)}current.json`;

export function historyKey(userId: string, avatarId: string): string {
  assertId("avatar", avatarId, isAvatarId);
  return `${historyPrefix(userId)}${avatarId}.json`;
}

export function avatarIdFromHistoryKey(userId: string, key: string): string | undefined {
  const prefix = historyPrefix(userId);
  if (!key.startsWith(prefix) || !key.endsWith(".json")) return undefined;
  const id = key.slice(prefix.length, -".json".length);
  return isAvatarId(id) ? id : undefined;
}

export function renditionKey(userId: string, avatarId: string, size: RenditionSize): string {
  assertId("avatar", avatarId, isAvatarId);
  return `${avatarsPrefix(userId)}renditions/${avatarId}/${size}.webp`;
}
