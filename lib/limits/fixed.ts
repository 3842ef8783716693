/**
 * The limits that are not configuration (pure). The configurable ones are read in lib/env.ts
 * (UPLOAD_MAX_BYTES, UPLOADS_PER_HOUR, CROPS_PER_UPLOAD, AVATARS_PER_USER, IMAGE_*) and enforced
 * beside this file; docs/operating.md lists them all with the error each one answers.
 */

/** A JSON request body (a crop rectangle, a content type): 16 KiB is far above any real one. */
export const MAX_JSON_BYTES = 16 * 1024;

/**
 * The stable URL's own bound on lookups of ids this instance has not looked up lately: 4 at once,
 * 16 waiting, so anonymous requests cost S3 at most 4 lookups at a time (lib/limits/stable-limiter.ts).
 */
export const STABLE_LOOKUP_LIMITS = { maxRunning: 4, maxQueued: 16 } as const;
