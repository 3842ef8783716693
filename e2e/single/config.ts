/**
 * Where the single-instance e2e tier runs things. Everything is on loopback. The S3 target is the
 * embedded s3rver unless the S3_TEST_* variables (test/harness/s3-target.ts) name a real one
 * (Ceph RGW in CI, MinIO, AWS, ...).
 */
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const APP_ORIGIN = `http://127.0.0.1:${APP_PORT}`;
export const EMBEDDED_S3_PORT = Number(process.env.E2E_S3_PORT ?? 4590);
export const UPLOAD_MAX_BYTES = 3 * 1024 * 1024;
export const AUTH_SECRET = "e2e-only-secret-0123456789abcdef";
export const AUTH_USER_ID_KEY = "e2e-only-user-id-key-0123456789abcdef";
/** Turns /api/metrics on in the build under test (e2e/metrics.spec.ts scrapes it). */
export const METRICS_TOKEN = "e2e-only-metrics-token-0123456789abcdef";
