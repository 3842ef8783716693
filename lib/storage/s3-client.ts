import "server-only";

import { S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";

import { getEnv } from "@/lib/env";
import { observeS3Call } from "@/lib/metrics/registry";

import { s3ErrorName } from "./s3-errors";

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

/**
 * Counts every call the client sends, by operation, with its time and, when it fails, the error's
 * name. In the initialize step, the first one: it times the whole call, retries included, as the
 * use case waits for it. getSignedUrl runs the same stack but stops before sending; an answer
 * without an HTTP response is such a presigned URL, which is no S3 call.
 */
function countCalls(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? "unknown").replace(/Command$/, "");
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const result = await next(args);
        if (typeof (result.response as { statusCode?: unknown }).statusCode === "number") observeS3Call(operation, seconds());
        return result;
      } catch (error) {
        observeS3Call(operation, seconds(), s3ErrorName(error));
        throw error;
      }
    },
    { step: "initialize", priority: "high", name: "avatarRelayMetrics" },
  );
}

let shared: { client: S3Client; bucket: string } | undefined;

export function getS3(): { client: S3Client; bucket: string } {
  if (!shared) {
    const settings = s3SettingsFromEnv();
    const client = createS3Client(settings);
    countCalls(client);
    shared = { client, bucket: settings.bucket };
  }
  return shared;
}
