/**
 * The benchmark's S3: the embedded s3rver as its own process over HTTP on loopback, as the
 * integration tests use it. Also the environment the app's code reads (lib/env.ts), set in
 * process.env before the first getEnv() call.
 */
import { embeddedS3AppEnv } from "@/tools/app-env";
import { startThrowawayS3, type EmbeddedS3 } from "@/tools/embedded-s3";

export const BENCH_BUCKET = "bench-avatars";

/** Environment of the app code under test: limits high enough for 48 MP pictures and 30 MB PNGs. */
export function appEnvironment(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...embeddedS3AppEnv(endpoint, BENCH_BUCKET),
    AUTH_SECRET: "bench-only-secret-0123456789abcdef",
    AUTH_USER_ID_KEY: "bench-only-user-id-key-0123456789abcdef",
    NEXTAUTH_URL: "http://127.0.0.1:3999",
    UPLOAD_MAX_BYTES: String(200 * 1024 * 1024),
    UPLOADS_PER_HOUR: "100000",
    // The concurrency probe's N clients are one bench user, and it measures what one instance
    // holds under load: that user's share of the image jobs is the whole instance (the defaults, 2 and 8).
    IMAGE_JOBS_PER_USER: "2",
    IMAGE_QUEUE_PER_USER: "8",
    S3_REQUEST_TIMEOUT_MS: "60000",
    LOG_LEVEL: "silent",
    ...extra,
  };
}

export type BenchS3 = { s3: EmbeddedS3; close(): Promise<void> };

export async function startBenchS3(): Promise<BenchS3> {
  const s3 = await startThrowawayS3({ tag: "bench" });
  return { s3, close: () => s3.close() };
}
