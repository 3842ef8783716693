import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { conditionalWritesAvailable } from "@/lib/storage/conditional-writes";
import { slotFromUploadSlotKey, uploadSlotKey, uploadStartedKey, uploadsStartedPrefix } from "@/lib/storage/keys";
import { deleteObjects, listKeys, putObject, putObjectIfAbsent } from "@/lib/storage/objects";

import { claimSlot } from "./quota-slots";

const HOUR_MS = 3_600_000;
const hourWindow = (now = Date.now()) => Math.floor(now / HOUR_MS);

/**
 * Bounds uploads per user per hour across every instance, with S3 as the only shared state.
 *
 * Where S3 honours conditional writes (lib/storage/conditional-writes.ts), a start claims one of
 * the hour's UPLOADS_PER_HOUR slot keys by creating it with If-None-Match: * (412: taken, try
 * another): S3 lets only one creator have each key, so exactly UPLOADS_PER_HOUR starts are
 * admitted however many arrive at once, on however many instances.
 *
 * Elsewhere it counts: each start writes an empty marker, then counts the hour's markers, and is
 * admitted only if there are at most the limit; a refused start removes its marker. Of the starts
 * admitted, the last to write saw all the others' markers, so never more than the limit are
 * admitted, but a burst may admit fewer (refused starts' markers count while they exist).
 *
 * Either way the uploads/ lifecycle rule expires the hour's keys.
 */
export async function admitUploadStart(userId: string, uploadId: string): Promise<void> {
  const limit = getEnv().UPLOADS_PER_HOUR;
  const now = Date.now();
  const window = hourWindow(now);
  const admitted = (await conditionalWritesAvailable()) ? await claimHourSlot(userId, window, uploadId, limit) : await countedStart(userId, window, uploadId, limit);
  if (!admitted) {
    const retryAfterSeconds = Math.ceil(((window + 1) * HOUR_MS - now) / 1000);
    throw new AppError("rate_limited", `You can start ${limit} uploads per hour. Please try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, {
      retryAfterSeconds,
      limit: "uploads_per_hour",
    });
  }
}

async function claimHourSlot(userId: string, window: number, uploadId: string, limit: number): Promise<boolean> {
  const slot = await claimSlot(limit, {
    listTaken: async () => {
      const slots: number[] = [];
      let token: string | undefined;
      do {
        const page = await listKeys(uploadsStartedPrefix(userId, window), { continuationToken: token });
        for (const key of page.keys) {
          const taken = slotFromUploadSlotKey(userId, window, key);
          if (taken !== undefined) slots.push(taken);
        }
        token = page.nextToken;
      } while (token);
      return slots;
    },
    // The body names the upload the slot admitted, for whoever reads the bucket.
    claim: async (n) => {
      const outcome = await putObjectIfAbsent(uploadSlotKey(userId, window, n), uploadId, { contentType: "text/plain" });
      return outcome === "created" ? "claimed" : outcome === "exists" ? "taken" : "contended";
    },
  });
  return slot !== undefined;
}

async function countedStart(userId: string, window: number, uploadId: string, limit: number): Promise<boolean> {
  const marker = uploadStartedKey(userId, window, uploadId);
  await putObject(marker, "", { contentType: "text/plain" });
  const started = await listKeys(uploadsStartedPrefix(userId, window), { maxKeys: limit + 1 });
  if (started.keys.length <= limit) return true;
  await deleteObjects([marker]).catch(() => undefined); // if this fails, the marker only counts against the user
  return false;
}
