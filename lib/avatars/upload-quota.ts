import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { uploadStartedKey, uploadsStartedPrefix } from "@/lib/storage/keys";
import { deleteObjects, listKeys, putObject } from "@/lib/storage/objects";

const HOUR_MS = 3_600_000;
const hourWindow = (now = Date.now()) => Math.floor(now / HOUR_MS);

/**
 * Bounds uploads per user per hour across every instance, with S3 as the only shared state: each
 * start first writes an empty marker under the user's prefix for the current hour, then counts
 * the hour's markers, and is admitted only if there are at most `limit`. Counting after writing
 * is what holds under a burst: of the starts admitted, the last to write saw all the others'
 * markers when it counted, so no more than `limit` are ever admitted (counting first let 33 of 80
 * parallel starts through a limit of 30). A refused start removes its marker again; a burst may
 * therefore admit fewer than `limit`, never more. The uploads/ lifecycle rule expires markers.
 */
export async function admitUploadStart(userId: string, uploadId: string): Promise<void> {
  const limit = getEnv().UPLOADS_PER_HOUR;
  const now = Date.now();
  const window = hourWindow(now);
  const marker = uploadStartedKey(userId, window, uploadId);
  await putObject(marker, "", { contentType: "text/plain" });
  const started = await listKeys(uploadsStartedPrefix(userId, window), { maxKeys: limit + 1 });
  if (started.keys.length > limit) {
    await deleteObjects([marker]).catch(() => undefined); // if this fails, the marker only counts against the user
    const retryAfterSeconds = Math.ceil(((window + 1) * HOUR_MS - now) / 1000);
    throw new AppError("rate_limited", `You can start ${limit} uploads per hour. Please try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, {
      retryAfterSeconds,
      limit: "uploads_per_hour",
    });
  }
}
