import "server-only";

import { AppError } from "@/lib/errors";

import { STABLE_LOOKUP_LIMITS } from "./fixed";
import { JobLimiter } from "./job-limiter";

/**
 * The stable URL's own bound on work for ids this instance has not looked up lately (S3 reads,
 * then maybe a drawing; STABLE_LOOKUP_LIMITS), apart from the image-job slots so a flood of
 * anonymous requests for random ids never delays a signed-in user's crop, and costs S3 at most
 * what 4 lookups at a time can send. Beyond it 503 + Retry-After; remembered answers skip it.
 */
const limiter = new JobLimiter(STABLE_LOOKUP_LIMITS);
const RETRY_AFTER_SECONDS = 1;

export async function withStableLookupSlot<T>(job: () => Promise<T>): Promise<T> {
  const outcome = await limiter.run("anonymous", job);
  if ("refused" in outcome) {
    throw new AppError("server_busy", "Too many avatars are being looked up right now. Please try again in a second.", { retryAfterSeconds: RETRY_AFTER_SECONDS });
  }
  return outcome.value;
}
