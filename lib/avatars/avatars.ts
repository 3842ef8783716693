import "server-only";

import { AppError } from "@/lib/errors";
import { withImageSlot } from "@/lib/images/image-jobs";
import { makeRenditions } from "@/lib/images/pipeline";
import {
  RENDITION_SIZES,
  avatarCreatedAt,
  avatarIdFromHistoryKey,
  cropKey,
  currentAvatarKey,
  historyKey,
  historyPrefix,
  renditionKey,
  uploadPrefix,
  type RenditionSize,
} from "@/lib/storage/keys";
import {
  deleteObjects,
  deletePrefix,
  getObjectBytes,
  getObjectJson,
  headObject,
  listKeys,
  publicOrPresignedUrl,
  putJson,
  putObject,
} from "@/lib/storage/objects";

import { currentAvatarRecordSchema, type CurrentAvatarRecord, type HistoryRecord } from "./schemas";

/** Step 3 and the history. S3 holds the avatars and the small record saying which one is current. */

export type AvatarView = {
  avatarId: string;
  createdAt: string;
  current: boolean;
  urls: Record<RenditionSize, string>;
};

/** Renditions never change once written, so their keys can be cached for a year by anyone. */
const IMMUTABLE = "public, max-age=31536000, immutable";

async function renditionUrls(userId: string, avatarId: string): Promise<Record<RenditionSize, string>> {
  const entries = await Promise.all(RENDITION_SIZES.map(async (size) => [size, await publicOrPresignedUrl(renditionKey(userId, avatarId, size))] as const));
  return Object.fromEntries(entries) as Record<RenditionSize, string>;
}

async function view(userId: string, avatarId: string, current: boolean): Promise<AvatarView> {
  return { avatarId, createdAt: avatarCreatedAt(avatarId).toISOString(), current, urls: await renditionUrls(userId, avatarId) };
}

async function readCurrent(userId: string): Promise<CurrentAvatarRecord | null> {
  const parsed = currentAvatarRecordSchema.safeParse(await getObjectJson(currentAvatarKey(userId)));
  return parsed.success ? parsed.data : null;
}

async function writeCurrent(userId: string, avatarId: string): Promise<void> {
  const record: CurrentAvatarRecord = { version: 1, avatarId, sizes: [...RENDITION_SIZES], updatedAt: new Date().toISOString() };
  await putJson(currentAvatarKey(userId), record);
}

const historyExists = async (userId: string, avatarId: string) => (await headObject(historyKey(userId, avatarId))) !== null;

/**
 * Makes a crop the user's avatar. Write order is what keeps it whole under crashes and retries:
 * renditions, then the history record (the avatar now exists), then the current pointer, then
 * cleanup. The avatar id is the crop id, so saving the same crop twice is the same avatar; a retry
 * after a crash at any point redoes only what is missing.
 */
export async function saveAvatar(userId: string, uploadId: string, cropId: string): Promise<AvatarView> {
  // Both reads at once (one round trip, not two); the crop is only used when the avatar is new.
  const [exists, crop] = await Promise.all([historyExists(userId, cropId), getObjectBytes(cropKey(userId, uploadId, cropId), 8 * 1024 * 1024)]);
  if (!exists) {
    if (!crop) {
      // A concurrent save may have finished and cleaned up between our two reads.
      if (!(await historyExists(userId, cropId))) throw new AppError("crop_not_found");
    } else {
      const renditions = await withImageSlot(() => makeRenditions(crop, RENDITION_SIZES));
      await Promise.all(
        [...renditions].map(([size, data]) => putObject(renditionKey(userId, cropId, size), data, { contentType: "image/webp", cacheControl: IMMUTABLE })),
      );
      const record: HistoryRecord = { version: 1, avatarId: cropId, sizes: [...RENDITION_SIZES], createdAt: avatarCreatedAt(cropId).toISOString(), uploadId };
      await putJson(historyKey(userId, cropId), record);
    }
  }
  await writeCurrent(userId, cropId);
  await deletePrefix(uploadPrefix(userId, uploadId));
  return view(userId, cropId, true);
}

export async function getCurrentAvatar(userId: string): Promise<AvatarView | null> {
  const record = await readCurrent(userId);
  if (!record) return null;
  return view(userId, record.avatarId, true);
}

/** Where the stable per-user URL redirects: the current rendition of that size, or null. */
export async function currentRenditionUrl(userId: string, size: RenditionSize): Promise<string | null> {
  const record = await readCurrent(userId);
  return record ? publicOrPresignedUrl(renditionKey(userId, record.avatarId, size)) : null;
}

export type AvatarPage = { items: AvatarView[]; nextCursor?: string };

/**
 * Newest first straight from S3's listing order (avatar ids start with a reverse timestamp). The
 * cursor is the last avatar id of the previous page, not S3's opaque continuation token: the server
 * validates it like any other id, and S3 only ever sees a StartAfter key under the caller's prefix.
 */
export async function listAvatars(userId: string, options: { cursor?: string; limit: number }): Promise<AvatarPage> {
  const [page, current] = await Promise.all([
    listKeys(historyPrefix(userId), { maxKeys: options.limit, startAfter: options.cursor ? historyKey(userId, options.cursor) : undefined }),
    readCurrent(userId),
  ]);
  const ids = page.keys.flatMap((key) => avatarIdFromHistoryKey(userId, key) ?? []);
  const items = await Promise.all(ids.map((id) => view(userId, id, id === current?.avatarId)));
  return { items, nextCursor: page.truncated ? ids.at(-1) : undefined };
}

export async function selectAvatar(userId: string, avatarId: string): Promise<AvatarView> {
  if (!(await historyExists(userId, avatarId))) throw new AppError("avatar_not_found");
  await writeCurrent(userId, avatarId);
  return view(userId, avatarId, true);
}

/** Removes an avatar: first from the history (so it is never listed half-deleted), then its files. */
export async function deleteAvatar(userId: string, avatarId: string): Promise<{ wasCurrent: boolean }> {
  if (!(await historyExists(userId, avatarId))) throw new AppError("avatar_not_found");
  const current = await readCurrent(userId);
  const wasCurrent = current?.avatarId === avatarId;
  // The pointer goes first so it never names an avatar whose files are gone.
  if (wasCurrent) await deleteObjects([currentAvatarKey(userId)]);
  await deleteObjects([historyKey(userId, avatarId)]);
  await deleteObjects(RENDITION_SIZES.map((size) => renditionKey(userId, avatarId, size)));
  return { wasCurrent };
}
