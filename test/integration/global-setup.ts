import { embeddedS3AppEnv } from "@/tools/app-env";
import { startThrowawayS3 } from "@/tools/embedded-s3";

/**
 * A real S3-compatible server over HTTP on loopback (s3rver) for the integration tests; the app's
 * code talks to it exactly as it would to AWS. Port 0: the OS picks a free port.
 */
export default async function setup() {
  const s3 = await startThrowawayS3({ tag: "it" });
  Object.assign(process.env, {
    ...embeddedS3AppEnv(s3.endpoint, "it-avatars"),
    AUTH_SECRET: "integration-test-secret-0123456789",
    NEXTAUTH_URL: "http://127.0.0.1:3999",
    UPLOAD_MAX_BYTES: String(2 * 1024 * 1024),
    LOG_LEVEL: "silent",
  });
  return () => s3.close();
}
