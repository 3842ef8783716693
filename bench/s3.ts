/**
 * The benchmark's S3: the embedded s3rver as its own process over HTTP on loopback, as the
 * integration tests use it (test/integration/global-setup.ts). Also the environment the app's code
 * reads (lib/env.ts), set in process.env before the first getEnv() call.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { EMBEDDED_S3_CREDENTIALS, startEmbeddedS3, type EmbeddedS3 } from "../scripts/embedded-s3";

export const BENCH_BUCKET = "bench-avatars";

/** Environment of the app code under test: limits high enough for 48 MP pictures and 30 MB PNGs. */
export function appEnvironment(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    S3_ENDPOINT: endpoint,
    S3_BUCKET: BENCH_BUCKET,
    S3_REGION: "us-east-1",
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
    AUTH_SECRET: "bench-only-secret-0123456789abcdef",
    AUTH_USER_ID_KEY: "bench-only-user-id-key-0123456789abcdef",
    NEXTAUTH_URL: "http://127.0.0.1:3999",
    UPLOAD_MAX_BYTES: String(200 * 1024 * 1024),
    UPLOADS_PER_HOUR: "100000",
    S3_REQUEST_TIMEOUT_MS: "60000",
    LOG_LEVEL: "silent",
    ...extra,
  };
}

export type BenchS3 = { s3: EmbeddedS3; directory: string; close(): Promise<void> };

export async function startBenchS3(): Promise<BenchS3> {
  const directory = mkdtempSync(path.join(tmpdir(), "avatar-relay-bench-s3-"));
  const s3 = await startEmbeddedS3({ port: 0, directory });
  return {
    s3,
    directory,
    async close() {
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
