import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { EMBEDDED_S3_CREDENTIALS, startEmbeddedS3, type EmbeddedS3 } from "../../scripts/embedded-s3";

import { APP_ORIGIN, APP_PORT, AUTH_SECRET, AUTH_USER_ID_KEY, EMBEDDED_S3_PORT, UPLOAD_MAX_BYTES } from "./config";

/**
 * Starts what a deployment has: an S3 (embedded, or the one E2E_S3_ENDPOINT names), the bucket set
 * up by the project's own command, and a production build of the app (`next build`, `next start`).
 * E2E_SKIP_BUILD=1 reuses an existing .next build for quick local loops.
 */

function run(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status}`);
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} before answering`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

export default async function globalSetup() {
  let embedded: EmbeddedS3 | undefined;
  let dataDir: string | undefined;
  const external = process.env.E2E_S3_ENDPOINT;
  if (!external) {
    dataDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-e2e-s3-"));
    embedded = await startEmbeddedS3({ port: EMBEDDED_S3_PORT, directory: dataDir });
  }

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: APP_ORIGIN,
    AUTH_SECRET,
    AUTH_USER_ID_KEY,
    AUTH_DEV_LOGIN: "true",
    CORS_ALLOWED_ORIGINS: APP_ORIGIN,
    S3_ENDPOINT: external ?? embedded!.endpoint,
    S3_REGION: process.env.E2E_S3_REGION ?? "us-east-1",
    S3_BUCKET: process.env.E2E_S3_BUCKET ?? "e2e-avatars",
    S3_FORCE_PATH_STYLE: "true",
    S3_ACCESS_KEY_ID: external ? process.env.E2E_S3_ACCESS_KEY_ID : EMBEDDED_S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: external ? process.env.E2E_S3_SECRET_ACCESS_KEY : EMBEDDED_S3_CREDENTIALS.secretAccessKey,
    UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES),
    // Short, so the fault tests see a frozen S3 turn into 503 within a few seconds.
    S3_REQUEST_TIMEOUT_MS: "2000",
    INSTANCE_ID: "e2e-1",
  };
  process.env.E2E_S3_KIND = external ? "external" : "embedded";
  process.env.E2E_S3_ENDPOINT_IN_USE = appEnv.S3_ENDPOINT;
  process.env.E2E_S3_SECRET_IN_USE = appEnv.S3_SECRET_ACCESS_KEY;
  if (embedded) process.env.E2E_S3_PID = String(embedded.pid);

  const tsx = ["--conditions=react-server", "--import", "tsx"];
  run(process.execPath, [...tsx, "scripts/bucket.ts", "apply"], appEnv);

  if (process.env.E2E_SKIP_BUILD !== "1" || !existsSync(".next/BUILD_ID")) {
    run(process.execPath, ["node_modules/next/dist/bin/next", "build"], appEnv);
  }
  const app = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(APP_PORT)], {
    env: appEnv,
    stdio: ["ignore", process.env.E2E_APP_LOGS === "1" ? "inherit" : "ignore", "inherit"],
  });
  process.env.E2E_APP_PID = String(app.pid);
  try {
    await waitForHealth(`${APP_ORIGIN}/api/health`, app, 60_000);
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
