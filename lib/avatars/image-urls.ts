import "server-only";

import { getEnv } from "@/lib/env";
import { CROP_OUTPUT_SIDE } from "@/lib/images/formats";
import { cropKey, previewKey, RENDITION_SIZES, renditionKey, type RenditionSize } from "@/lib/storage/keys";
import { presignGet } from "@/lib/storage/objects";

/**
 * Every image URL the browser is handed, and how long it lives. Previews and crops are private
 * and short-lived: a presigned GET valid for a quarter of an hour. Renditions are what other pages
 * embed: a public URL when a CDN fronts the bucket, otherwise a presigned GET that stays the same
 * for an hour so browsers can cache it.
 */

const VIEW_URL_SECONDS = 15 * 60;

const viewUrl = (key: string) => presignGet(key, { expiresIn: VIEW_URL_SECONDS, contentType: "image/webp" });

/** The checked upload's preview, shown by the crop step. */
export const previewUrl = (userId: string, uploadId: string): Promise<string> => viewUrl(previewKey(userId, uploadId));

/**
 * The preview of an upload whose finish step left it to be made on first need: the app's URL,
 * which makes it then and redirects to previewUrl (app/api/uploads/[uploadId]/preview).
 */
export const lazyPreviewUrl = (uploadId: string): string => `/api/uploads/${uploadId}/preview`;

/** The crop's largest rendition, shown by the save step. */
export const cropUrl = (userId: string, uploadId: string, cropId: string): Promise<string> => viewUrl(cropKey(userId, uploadId, cropId, CROP_OUTPUT_SIDE));

const RENDITION_URL_WINDOW_SECONDS = 3600;
const RENDITION_URL_CACHE_MAX = 10_000;

/**
 * Within one signing window a rendition's presigned URL is a pure function of its key (static
 * keys), and signing costs about a millisecond of CPU (endpoint rules, SigV4): a history page (12
 * avatars by default) signs 48 URLs. So this instance remembers them for the window. Not with temporary
 * credentials (instance role, SSO): a URL dies with the credentials that signed it, which can be
 * before the window ends, and a fresh signature picks up the refreshed ones.
 */
const signedRenditionUrls = { window: -1, byKey: new Map<string, string>() };

/** A public URL for a rendition when a CDN fronts the bucket, otherwise a presigned GET. */
export async function renditionUrl(userId: string, avatarId: string, size: RenditionSize): Promise<string> {
  const key = renditionKey(userId, avatarId, size);
  const env = getEnv();
  if (env.S3_PUBLIC_BASE_URL) return `${env.S3_PUBLIC_BASE_URL.replace(/\/$/, "")}/${key}`;
  const sign = () => presignGet(key, { expiresIn: 3600, windowSeconds: RENDITION_URL_WINDOW_SECONDS, contentType: "image/webp" });
  if (!env.S3_ACCESS_KEY_ID) return sign();
  const window = Math.floor(Date.now() / (RENDITION_URL_WINDOW_SECONDS * 1000));
  if (window !== signedRenditionUrls.window || signedRenditionUrls.byKey.size >= RENDITION_URL_CACHE_MAX) {
    signedRenditionUrls.window = window;
    signedRenditionUrls.byKey.clear();
  }
  const cached = signedRenditionUrls.byKey.get(key);
  if (cached) return cached;
  const url = await sign();
  signedRenditionUrls.byKey.set(key, url);
  return url;
}

/** The URL of every rendition of one avatar, by size. */
export async function renditionUrls(userId: string, avatarId: string): Promise<Record<RenditionSize, string>> {
  const entries = await Promise.all(RENDITION_SIZES.map(async (size) => [size, await renditionUrl(userId, avatarId, size)] as const));
  return Object.fromEntries(entries) as Record<RenditionSize, string>;
}
