import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { embeddedS3AppEnv, testAppEnv } from "@/tools/app-env";
import { applyBucketSetupWith } from "@/tools/bucket/apply-setup";
import { buildOnce, stageArtifact } from "@/tools/build";
import { startEmbeddedS3 } from "@/tools/embedded-s3";
import { nginxBinary } from "@/tools/nginx";

import { APP_URL, AUTH_SECRET, AUTH_USER_ID_KEY, OIDC_CLIENT, OIDC_PORT, S3_PORT } from "./config";

/**
 * Once per run: the production build (E2E_SKIP_BUILD=1 reuses one), the staged standalone
 * artifact, the embedded S3 with its bucket, and a TLS certificate for 127.0.0.1 made here with
 * openssl. The OpenID provider and the app behind nginx are started per worker (fixtures.ts), so
 * a test can stop the provider. The development sign-in is OFF: production as users run it.
 */
export default async function globalSetup() {
  if (!nginxBinary()) throw new Error("nginx is not installed: run `npm run test:setup` (Debian: apt-get install nginx)");
  buildOnce({ skip: process.env.E2E_SKIP_BUILD === "1" });
  const artifact = stageArtifact();
  const work = mkdtempSync(path.join(tmpdir(), "avatar-relay-oidc-e2e-"));
  const tls = { certificate: path.join(work, "cert.pem"), key: path.join(work, "key.pem") };
  const openssl = spawnSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", tls.key, "-out", tls.certificate],
    { encoding: "utf8" },
  );
  if (openssl.status !== 0) throw new Error(`openssl could not make the test certificate: ${openssl.stderr}`);
  const s3 = await startEmbeddedS3({ port: S3_PORT, directory: path.join(work, "s3") });

  const env = testAppEnv({
    url: APP_URL,
    secrets: { AUTH_SECRET, AUTH_USER_ID_KEY },
    devLogin: false,
    oidc: { port: OIDC_PORT, client: OIDC_CLIENT },
    s3: embeddedS3AppEnv(s3.endpoint, "e2e-oidc-avatars"),
  });
  try {
    applyBucketSetupWith(env);
  } catch (error) {
    await s3.close();
    throw error;
  }

  process.env.E2E_OIDC_ARTIFACT = artifact.dir;
  process.env.E2E_OIDC_ENV = JSON.stringify(env);
  process.env.E2E_OIDC_TLS = JSON.stringify(tls);
  process.env.E2E_OIDC_LOG_DIR = work;
  console.log(`sign-in e2e: build ${artifact.buildId}, app ${APP_URL} (TLS at nginx), logs in ${work}`);

  return async () => {
    await s3.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(artifact.dir, { recursive: true, force: true });
  };
}
