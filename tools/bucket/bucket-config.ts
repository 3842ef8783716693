import { SESSION_MAX_AGE_DAYS } from "@/lib/auth/session-token";
import { SESSIONS_PREFIX, UPLOADS_PREFIX } from "@/lib/storage/keys";
import type { UploadMethod } from "@/lib/storage/upload-target";

/**
 * The bucket settings the app depends on, as plain data: the setup command applies them, the
 * check command compares them, and infra/s3/cors.json is this output for an example origin
 * (a unit test keeps the file and this code in step).
 */

export type CorsRule = {
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders: string[];
  ExposeHeaders: string[];
  MaxAgeSeconds: number;
};

/** The HTTP method a browser upload uses with S3_UPLOAD_METHOD: the one upload method CORS allows. */
export function uploadHttpMethod(method: UploadMethod): "POST" | "PUT" {
  return method === "put" ? "PUT" : "POST";
}

/**
 * A concrete origin a pattern with one `*` in its host allows (S3 CORS matches the wildcard against
 * any characters): what s3:check sends a real preflight from. Origins without `*` stay as they are.
 */
export function sampleOrigin(origin: string): string {
  return origin.replace("*", "s3-check");
}

/** The browser uploads (POST or PUT) and GETs previews/avatars directly; nothing else crosses origins. */
export function corsRules(origins: string[], method: UploadMethod = "post"): CorsRule[] {
  return [
    {
      AllowedOrigins: [...origins],
      AllowedMethods: ["GET", "HEAD", uploadHttpMethod(method)],
      AllowedHeaders: ["*"],
      ExposeHeaders: ["ETag"],
      MaxAgeSeconds: 3000,
    },
  ];
}

export const ABANDONED_UPLOAD_DAYS = 1;
export const LIFECYCLE_RULE_ID = "expire-abandoned-uploads";
/** A day past the longest a session lives from its sign-in: no session a record ended is alive by then. */
export const ENDED_SESSIONS_DAYS = SESSION_MAX_AGE_DAYS + 1;
export const SESSIONS_RULE_ID = "expire-ended-sessions";
/** Old versions in a versioned bucket: a deleted or replaced picture is gone a day later, as an abandoned upload is. */
export const NONCURRENT_VERSION_DAYS = 1;
export const OLD_VERSIONS_RULE_ID = "expire-old-versions";

export type LifecycleRule =
  | { ID: string; Status: "Enabled"; Filter: { Prefix: string }; Expiration: { Days: number }; AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number } }
  | { ID: string; Status: "Enabled"; Filter: { Prefix: "" }; NoncurrentVersionExpiration: { NoncurrentDays: number } };

/**
 * Uploads that never reach "save" (closed tab, crashed instance) must not pile up forever, nor the
 * records of ended sessions once they can end nothing more. In a versioned bucket (`versioned`:
 * versioning enabled or suspended) also the old versions every delete and overwrite leaves, or
 * "deleted" is not deleted; only then, since some stores without versioning (Garage) refuse the
 * whole configuration when it names NoncurrentVersionExpiration.
 */
export function lifecycleRules(options: { versioned?: boolean } = {}): LifecycleRule[] {
  return [
    {
      ID: LIFECYCLE_RULE_ID,
      Status: "Enabled",
      Filter: { Prefix: UPLOADS_PREFIX },
      Expiration: { Days: ABANDONED_UPLOAD_DAYS },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABANDONED_UPLOAD_DAYS },
    },
    { ID: SESSIONS_RULE_ID, Status: "Enabled", Filter: { Prefix: SESSIONS_PREFIX }, Expiration: { Days: ENDED_SESSIONS_DAYS } },
    ...(options.versioned ? [{ ID: OLD_VERSIONS_RULE_ID, Status: "Enabled" as const, Filter: { Prefix: "" as const }, NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS } }] : []),
  ];
}
