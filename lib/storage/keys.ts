/**
 * Every S3 key the app uses, built from the signed-in user's id and opaque ids the server minted.
 * Pure and isomorphic: the browser never builds a key, but the id formats are shared so that a
 * malformed id is refused with 400 before any S3 call is made.
 */

/** 20 hex naming the account, then an 8-hex tag only the deployment can compute (lib/auth/user-id.ts). */
export const USER_ID_PATTERN = /^[0-9a-f]{28}$/;
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

/** Everything temporary of one user: every upload, its crops, and the hourly quota's slots or markers. */
export function userUploadsPrefix(userId: string): string {
  assertId("user", userId, isUserId);
  return `${UPLOADS_PREFIX}${userId}/`;
}

/**
 * The uploads a user started in one hour (lib/limits/upload-quota.ts): one slot key per admitted
 * start where S3 honours conditional writes, else one marker per start, named by its upload id.
 */
export function uploadsStartedPrefix(userId: string, hourWindow: number): string {
  assertId("user", userId, isUserId);
  return `${UPLOADS_PREFIX}${userId}/started/${Math.trunc(hourWindow)}/`;
}

/** The counting fallback's marker: one per start, named by the upload it admitted. */
export function uploadStartedKey(userId: string, hourWindow: number, uploadId: string): string {
  assertId("upload", uploadId, isUploadId);
  return `${uploadsStartedPrefix(userId, hourWindow)}${uploadId}`;
}

/** Slot `slot` (0 ≤ slot < the hourly limit) of the hour; whoever creates it first owns it. */
export function uploadSlotKey(userId: string, hourWindow: number, slot: number): string {
  if (!Number.isSafeInteger(slot) || slot < 0) throw new Error("refusing to build a key for a slot that is not a non-negative integer");
  return `${uploadsStartedPrefix(userId, hourWindow)}slot-${slot}`;
}

/** The slot a listed key under uploadsStartedPrefix names; undefined for a fallback marker or anything else. */
export function slotFromUploadSlotKey(userId: string, hourWindow: number, key: string): number | undefined {
  const prefix = `${uploadsStartedPrefix(userId, hourWindow)}slot-`;
  if (!key.startsWith(prefix)) return undefined;
  const digits = key.slice(prefix.length);
  return /^(0|[1-9][0-9]{0,8})$/.test(digits) ? Number(digits) : undefined;
}

/**
 * Where an instance checks, once per process, whether this S3 honours If-None-Match on PutObject
 * (lib/storage/conditional-writes.ts). Under uploads/ so the app's IAM policy allows it and the
 * lifecycle rule removes a probe a dead instance left; "_probes" can never be a user id.
 */
export function conditionalWriteProbeKey(token: string): string {
  if (!/^[0-9a-f]{8,64}$/.test(token)) throw new Error("refusing to build a probe key from a token that is not hex");
  return `${UPLOADS_PREFIX}_probes/conditional-writes/${token}`;
}

export const originalKey = (userId: string, uploadId: string) => `${uploadPrefix(userId, uploadId)}original`;
export const previewKey = (userId: string, uploadId: string) => `${uploadPrefix(userId, uploadId)}preview.webp`;
/** An empty object whose metadata holds what the finish step learnt: it exists once the upload passed the check. */
export const checkedKey = (userId: string, uploadId: string) => `${uploadPrefix(userId, uploadId)}checked`;

/** Every crop of one upload (each is a folder of its renditions): listed to bound crops per upload. */
export const cropsPrefix = (userId: string, uploadId: string) => `${uploadPrefix(userId, uploadId)}crops/`;

/** A crop is stored as its renditions; saving it copies them under AVATARS_PREFIX. */
export function cropKey(userId: string, uploadId: string, cropId: string, size: RenditionSize): string {
  assertId("crop", cropId, isAvatarId);
  if (!isRenditionSize(size)) throw new Error("refusing to build a key for a size that is not a rendition size");
  return `${cropsPrefix(userId, uploadId)}${cropId}/${size}.webp`;
}

/** The crop a listed key under cropsPrefix belongs to; undefined for anything that is not a crop's rendition. */
export function cropIdFromCropKey(userId: string, uploadId: string, key: string): string | undefined {
  const prefix = cropsPrefix(userId, uploadId);
  if (!key.startsWith(prefix)) return undefined;
  const [cropId, file, ...rest] = key.slice(prefix.length).split("/");
  return cropId && file && rest.length === 0 && isAvatarId(cropId) ? cropId : undefined;
}

/** Saved avatars: renditions, history records and the current pointer, kept until the user deletes them. */
export const AVATARS_PREFIX = "avatars/";

export function avatarsPrefix(userId: string): string {
  assertId("user", userId, isUserId);
  return `${AVATARS_PREFIX}${userId}/`;
}

export const historyPrefix = (userId: string) => `${avatarsPrefix(userId)}history/`;
export const currentAvatarKey = (userId: string) => `${avatarsPrefix(userId)}current.json`;
/** Records of ended sessions, one per user; a bucket lifecycle rule expires them once no session they ended can be alive. */
export const SESSIONS_PREFIX = "sessions/";

/** When "Delete my data" ended the user's other sessions; outside avatars/ so the deletion keeps it. */
export function sessionsEndedKey(userId: string): string {
  assertId("user", userId, isUserId);
  return `${SESSIONS_PREFIX}${userId}/ended.json`;
}
/** What the default avatar needs to know about the user (initials only), written at sign-in. */
export const profileKey = (userId: string) => `${avatarsPrefix(userId)}profile.json`;

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

/** The renditions of every avatar the user saved, each avatar a folder of its sizes. */
export const renditionsPrefix = (userId: string) => `${avatarsPrefix(userId)}renditions/`;

export function renditionKey(userId: string, avatarId: string, size: RenditionSize): string {
  assertId("avatar", avatarId, isAvatarId);
  return `${renditionsPrefix(userId)}${avatarId}/${size}.webp`;
}
