import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { DecodeLimits } from "@/lib/images/pipeline";
import { trackImageJobs } from "@/lib/metrics/registry";

import { JobLimiter } from "./job-limiter";

let limiter: JobLimiter | undefined;

/** A job takes about a second (a 36 MP crop on one core); by then a slot or the user's own job is free. */
const RETRY_AFTER_SECONDS = 3;

/**
 * Runs a user's image work within this instance's bound (IMAGE_JOBS_MAX at once, IMAGE_QUEUE_MAX
 * waiting) and within that user's share of it (IMAGE_JOBS_PER_USER running, IMAGE_QUEUE_PER_USER
 * waiting), so one user sending many pictures at once cannot take every slot from the others.
 * Beyond either bound the request is refused with 429 and Retry-After, and the step can be retried.
 */
export async function withImageSlot<T>(userId: string, job: () => Promise<T>): Promise<T> {
  if (!limiter) {
    const env = getEnv();
    limiter = trackImageJobs(
      new JobLimiter({
        maxRunning: env.IMAGE_JOBS_MAX,
        maxQueued: env.IMAGE_QUEUE_MAX,
        perOwner: { running: env.IMAGE_JOBS_PER_USER, queued: env.IMAGE_QUEUE_PER_USER },
      }),
    );
  }
  const outcome = await limiter.run(userId, job);
  if ("refused" in outcome) {
    const message =
      outcome.refused === "owner_share"
        ? "Your other pictures are still being processed. Please wait a few seconds for them to finish, then try again."
        : "The server is busy with other pictures. Please try again in a few seconds.";
    throw new AppError("rate_limited", message, { retryAfterSeconds: RETRY_AFTER_SECONDS, limit: outcome.refused === "owner_share" ? "image_jobs_per_user" : "image_slots_full" });
  }
  return outcome.value;
}

/** What a job may spend decoding one picture, from the configuration. */
export function decodeLimits(): DecodeLimits {
  const env = getEnv();
  return { maxPixels: env.IMAGE_MAX_PIXELS, timeoutSeconds: env.IMAGE_DECODE_TIMEOUT_SECONDS };
}
