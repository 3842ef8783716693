import "server-only";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { trackImageJobs } from "@/lib/metrics/registry";

import { JobLimiter } from "./job-limiter";

let limiter: JobLimiter | undefined;

/**
 * Runs image work within this instance's bound (IMAGE_JOBS_MAX at once, IMAGE_QUEUE_MAX waiting);
 * beyond it the request is refused with 429 and Retry-After, and the user's step can be retried.
 */
export async function withImageSlot<T>(job: () => Promise<T>): Promise<T> {
  limiter ??= trackImageJobs(new JobLimiter(getEnv().IMAGE_JOBS_MAX, getEnv().IMAGE_QUEUE_MAX));
  const result = await limiter.run(job);
  if (!result) {
    throw new AppError("rate_limited", "The server is busy with other pictures. Please try again in a few seconds.", { retryAfterSeconds: 3, limit: "image_slots_full" });
  }
  return result.value;
}
