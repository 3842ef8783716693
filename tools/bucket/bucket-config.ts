import { UPLOADS_PREFIX } from "@/lib/storage/keys";
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

export type LifecycleRule = {
  ID: string;
  Status: "Enabled";
  Filter: { Prefix: string };
  Expiration: { Days: number };
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: number };
};

/** Uploads that never reach "save" (closed tab, crashed instance) must not pile up forever. */
export function lifecycleRules(): LifecycleRule[] {
  return [
    {
      ID: LIFECYCLE_RULE_ID,
      Status: "Enabled",
      Filter: { Prefix: UPLOADS_PREFIX },
      Expiration: { Days: ABANDONED_UPLOAD_DAYS },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABANDONED_UPLOAD_DAYS },
    },
  ];
}
