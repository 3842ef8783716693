import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { embeddedS3AppEnv, testAppEnv } from "@/tools/app-env";
import { applyBucketSetupWith } from "@/tools/bucket/apply-setup";
import { buildOnce } from "@/tools/build";
import { startEmbeddedS3, type EmbeddedS3 } from "@/tools/embedded-s3";
import { waitForHealthy } from "@/tools/http";
import { NEXT_BIN, ROOT } from "@/tools/paths";
import { isRunning, track } from "@/tools/processes";
import { s3TargetAppEnv, s3TargetFromEnv } from "@/test/harness/s3-target";

import { APP_ORIGIN, APP_PORT, AUTH_SECRET, AUTH_USER_ID_KEY, EMBEDDED_S3_PORT, METRICS_TOKEN, UPLOAD_MAX_BYTES } from "./config";

/**
 * Starts what a deployment has: an S3 (embedded, or the real one the S3_TEST_* variables name), the
 * bucket set up by the project's own command, and a production build of the app (`next build`,
 * `next start`). E2E_SKIP_BUILD=1 reuses an existing .next build for quick local loops.
 */
export default async function globalSetup() {
  let embedded: EmbeddedS3 | undefined;
  let dataDir: string | undefined;
  const external = s3TargetFromEnv();
  if (!external) {
    dataDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-e2e-s3-"));
    embedded = await startEmbeddedS3({ port: EMBEDDED_S3_PORT, directory: dataDir });
  }
  const bucket = external?.bucket ?? "e2e-avatars";
  const appEnv: Record<string, string> = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ...testAppEnv({
      url: APP_ORIGIN,
      secrets: { AUTH_SECRET, AUTH_USER_ID_KEY },
      devLogin: true,
      s3: external ? s3TargetAppEnv(external, bucket) : embeddedS3AppEnv(embedded!.endpoint, bucket),
    }),
    UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES),
    // Short, so the fault tests see a frozen S3 turn into 503 within a few seconds.
    S3_REQUEST_TIMEOUT_MS: "2000",
    INSTANCE_ID: "e2e-1",
    METRICS_TOKEN,
  };
  process.env.E2E_S3_KIND = external ? "external" : "embedded";
  process.env.E2E_S3_ENDPOINT_IN_USE = appEnv.S3_ENDPOINT;
  process.env.E2E_S3_SECRET_IN_USE = appEnv.S3_SECRET_ACCESS_KEY ?? "";
  // For tests that look into the bucket (test/harness/s3-listing.ts).
  process.env.E2E_S3_ENV_IN_USE = JSON.stringify(Object.fromEntries(Object.entries(appEnv).filter(([key]) => key.startsWith("S3_"))));
  if (embedded) process.env.E2E_S3_PID = String(embedded.pid);

  try {
    applyBucketSetupWith(appEnv);
    buildOnce({ skip: process.env.E2E_SKIP_BUILD === "1", env: { ...process.env, ...appEnv } });
  } catch (error) {
    await embedded?.close();
    throw error;
  }
  const app = track(
    spawn(process.execPath, [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(APP_PORT)], {
      cwd: ROOT,
      env: { ...process.env, ...appEnv },
      stdio: ["ignore", process.env.E2E_APP_LOGS === "1" ? "inherit" : "ignore", "inherit"],
    }),
  );
  process.env.E2E_APP_PID = String(app.pid);
  try {
    await waitForHealthy({ url: APP_ORIGIN, get running() { return isRunning(app); } }, 60_000);
  } catch (error) {
    app.kill("SIGKILL");
    await embedded?.close();
    throw error;
  }

  return async () => {
    app.kill("SIGTERM");
    await embedded?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
