/**
 * What an S3 SDK call's failure says, read in one place. The SDK's errors carry the HTTP status in
 * `$metadata.httpStatusCode` and S3's error code as `name`; a failure that never reached S3
 * (refused connection, DNS, timeout) is a plain Error without `$metadata`. Pure: it only inspects
 * the error object, so the adapter, the bucket setup and the S3 conformance tests all use it.
 */

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The HTTP status S3 answered with, or undefined when there was no answer. */
export function s3StatusOf(error: unknown): number | undefined {
  const status = field(field(error, "$metadata"), "httpStatusCode");
  return typeof status === "number" ? status : undefined;
}

/** S3's error name (NoSuchBucket…), or the network's code (ECONNREFUSED…) for a plain Error: for messages. */
export function s3ErrorName(error: unknown): string {
  const name = text(field(error, "name"));
  return name && name !== "Error" ? name : (text(field(error, "code")) ?? name ?? "Error");
}

/** The object (or, for HEAD, whatever was asked about) does not exist. */
export function isNotFound(error: unknown): boolean {
  const name = text(field(error, "name"));
  return name === "NoSuchKey" || name === "NotFound" || s3StatusOf(error) === 404;
}

/** No S3 answer at all, a 5xx, or a timeout: storage is unavailable, not the request wrong. */
export function isStorageUnavailable(error: unknown): boolean {
  const status = s3StatusOf(error);
  return status === undefined || status >= 500 || text(field(error, "name")) === "TimeoutError";
}

/**
 * S3 answered, with a 5xx: "We encountered an internal error. Please try again." AWS documents it
 * as safe to retry; s3rver gives it for two writes to one key at once.
 */
export function isServerFault(error: unknown): boolean {
  const status = s3StatusOf(error);
  return status !== undefined && status >= 500;
}

/**
 * A conditional request's condition did not hold: for PutObject with `If-None-Match: *`, the key
 * already exists (412 PreconditionFailed). An S3 that does not implement the header never says
 * this; it overwrites (lib/storage/conditional-writes.ts finds out which kind this S3 is).
 */
export function isPreconditionFailed(error: unknown): boolean {
  return text(field(error, "name")) === "PreconditionFailed" || s3StatusOf(error) === 412;
}

/**
 * AWS S3's 409 ConditionalRequestConflict: another conditional write to the same key was under
 * way, and neither outcome is known yet. Try again; the key may be free or taken by now.
 */
export function isConditionalConflict(error: unknown): boolean {
  return text(field(error, "name")) === "ConditionalRequestConflict" || s3StatusOf(error) === 409;
}
