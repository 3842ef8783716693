import "server-only";

import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";

import { getEnv } from "@/lib/env";

export type S3Settings = {
  bucket: string;
  requestTimeoutMs?: number;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
};

/** Builds a client; the app itself uses the single shared one from getS3(). */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined, // default AWS credential chain (instance role, SSO, env, ...)
    // Newer SDKs add CRC checksums to every request by default; R2, Ceph and older MinIO reject
    // or ignore some of them. Only send them where S3 requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // Bounded time when S3 is down or hangs, so handlers answer 503 instead of hanging:
    // at most two attempts of S3_REQUEST_TIMEOUT_MS each.
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 2_000,
      requestTimeout: settings.requestTimeoutMs ?? 10_000,
      throwOnRequestTimeout: true, // without it the SDK only logs a warning and waits forever
    }),
  });
}

export function s3SettingsFromEnv(): S3Settings {
  const env = getEnv();
  return {
    bucket: env.S3_BUCKET,
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    requestTimeoutMs: env.S3_REQUEST_TIMEOUT_MS,
  };
}

let shared: { client: S3Client; bucket: string } | undefined;

export function getS3(): { client: S3Client; bucket: string } {
  if (!shared) {
    const settings = s3SettingsFromEnv();
    shared = { client: createS3Client(settings), bucket: settings.bucket };
  }
  return shared;
}
