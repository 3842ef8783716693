import "server-only";

import { checkBucketReachable } from "@/lib/storage/objects";

import { sharedProbe } from "./shared-probe";

/** How old an S3 probe's answer may be when /api/health repeats it. */
export const HEALTH_PROBE_MAX_AGE_MS = 1_000;

/** For GET /api/health: whether this instance reaches S3, from a probe at most a second old (one S3 call per second however many checks). */
export const checkBucketHealth = sharedProbe(checkBucketReachable, { maxAgeMs: HEALTH_PROBE_MAX_AGE_MS });
