import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { embeddedS3AppEnv, testAppEnv } from "@/test/harness/app-env";
import { applyBucketSetupWith } from "@/test/harness/bucket";
import { buildOnce, stageArtifact } from "@/test/harness/build";
import { startEmbeddedS3 } from "@/test/harness/embedded-s3";
import { nginxBinary } from "@/test/harness/nginx";
import { OidcProvider } from "@/test/harness/oidc-provider";

import { AUTH_SECRET, AUTH_USER_ID_KEY, LB_ORIGIN, OIDC_CLIENT, OIDC_PORT, S3_PORT } from "./config";

/**
 * Once per run: the production build (skipped with E2E_SKIP_BUILD=1 when one exists), the staged
 * standalone artifact, the embedded S3 with the bucket set up by the project's own command. The
 * instances and nginx are started per worker (e2e/cluster/fixtures.ts), so tests can kill and
 * restart them.
 */
export default async function globalSetup() {
  if (!nginxBinary()) throw new Error("nginx is not installed: run `npm run test:setup` (Debian: apt-get install nginx)");
  buildOnce({ skip: process.env.E2E_SKIP_BUILD === "1" });
  const artifact = stageArtifact();
  const dataDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-cluster-e2e-s3-"));
  const logDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-cluster-e2e-logs-"));
  const s3 = await startEmbeddedS3({ port: S3_PORT, directory: dataDir });
  const oidc = new OidcProvider({ port: OIDC_PORT, clientId: OIDC_CLIENT.id, clientSecret: OIDC_CLIENT.secret, redirectUris: [`${LB_ORIGIN}/api/auth/callback/oidc`] });
  await oidc.start();

  const env = testAppEnv({
    url: LB_ORIGIN,
    secrets: { AUTH_SECRET, AUTH_USER_ID_KEY },
    devLogin: true,
    oidc: { port: OIDC_PORT, client: OIDC_CLIENT },
    s3: embeddedS3AppEnv(s3.endpoint, "e2e-cluster-avatars"),
  });
  try {
    applyBucketSetupWith(env);
  } catch (error) {
    await oidc.stop();
    await s3.close();
    throw error;
  }

  process.env.E2E_CLUSTER_ARTIFACT = artifact.dir;
  process.env.E2E_CLUSTER_ENV = JSON.stringify(env);
  process.env.E2E_CLUSTER_LOG_DIR = logDir;
  console.log(`cluster e2e: build ${artifact.buildId}, artifact ${artifact.dir}, instance and nginx logs in ${logDir}`);

  return async () => {
    await oidc.stop();
    await s3.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(artifact.dir, { recursive: true, force: true });
  };
}
