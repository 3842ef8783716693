/**
 * The real S3 a tier runs against when one is given from outside: one set of variables for the
 * conformance suite and the e2e run alike (the test runner sets them to a throw-away Ceph RGW's
 * when none are given and Ceph is installed).
 *
 *   S3_TEST_ENDPOINT           e.g. http://127.0.0.1:7480 (Ceph RGW) or https://s3.eu-west-1.amazonaws.com
 *   S3_TEST_ACCESS_KEY_ID      \ both or neither (neither = the SDK's default credential chain)
 *   S3_TEST_SECRET_ACCESS_KEY  /
 *   S3_TEST_REGION             default us-east-1
 *   S3_TEST_FORCE_PATH_STYLE   default true; "false" for virtual-hosted style (AWS)
 *   S3_TEST_BUCKET             the e2e run's bucket (default e2e-avatars); the conformance suite's
 *                              bucket-name prefix (default avatar-relay-conf)
 *   S3_TEST_LC_DAY_SECONDS     set when the server's lifecycle "day" is shortened (Ceph: RGW_LC_DEBUG_INTERVAL)
 */
export type S3Target = {
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  bucket?: string;
  lcDaySeconds?: number;
};

export const S3_TARGET_VARIABLES = /^S3_TEST_/;

export function s3TargetFromEnv(env: NodeJS.ProcessEnv = process.env): S3Target | undefined {
  const endpoint = env.S3_TEST_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  const day = Number(env.S3_TEST_LC_DAY_SECONDS ?? "");
  return {
    endpoint: endpoint.replace(/\/+$/, ""),
    region: env.S3_TEST_REGION?.trim() || "us-east-1",
    forcePathStyle: !["false", "0"].includes((env.S3_TEST_FORCE_PATH_STYLE ?? "true").trim().toLowerCase()),
    accessKeyId: env.S3_TEST_ACCESS_KEY_ID?.trim() || undefined,
    secretAccessKey: env.S3_TEST_SECRET_ACCESS_KEY?.trim() || undefined,
    bucket: env.S3_TEST_BUCKET?.trim() || undefined,
    lcDaySeconds: Number.isFinite(day) && day > 0 ? day : undefined,
  };
}

/** The app's S3_* settings for `target`, with `bucket`. */
export function s3TargetAppEnv(target: S3Target, bucket: string): Record<string, string> {
  return {
    S3_ENDPOINT: target.endpoint,
    S3_REGION: target.region,
    S3_BUCKET: bucket,
    S3_FORCE_PATH_STYLE: String(target.forcePathStyle),
    ...(target.accessKeyId ? { S3_ACCESS_KEY_ID: target.accessKeyId } : {}),
    ...(target.secretAccessKey ? { S3_SECRET_ACCESS_KEY: target.secretAccessKey } : {}),
  };
}
