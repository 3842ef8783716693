import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { EMBEDDED_S3_CREDENTIALS, startEmbeddedS3 } from "../../scripts/embedded-s3";

/**
 * A real S3-compatible server over HTTP on loopback (s3rver) for the integration tests; the app's
 * code talks to it exactly as it would to AWS. Port 0: the OS picks a free port.
 */
export default async function setup() {
  const directory = mkdtempSync(path.join(tmpdir(), "avatar-relay-it-"));
  const s3 = await startEmbeddedS3({ port: 0, directory });
  Object.assign(process.env, {
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: "it-avatars",
    S3_REGION: "us-east-1",
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
    AUTH_SECRET: "integration-test-secret-0123456789",
    NEXTAUTH_URL: "http://127.0.0.1:3999",
    UPLOAD_MAX_BYTES: String(2 * 1024 * 1024),
    LOG_LEVEL: "silent",
  });
  return async () => {
    await s3.close();
    rmSync(directory, { recursive: true, force: true });
  };
}
