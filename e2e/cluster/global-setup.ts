import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { embeddedS3AppEnv, testAppEnv } from "@/tools/app-env";
import { applyBucketSetupWith } from "@/tools/bucket/apply-setup";
import { buildOnce, stageArtifact } from "@/tools/build";
import { ensureBaseImage } from "@/test/harness/container/base-image";
import { buildImages } from "@/test/harness/container/image";
import { loadImage, releaseImage, runOnce } from "@/test/harness/container/runc";
import { startEmbeddedS3 } from "@/tools/embedded-s3";
import { nginxBinary } from "@/tools/nginx";
import { OidcProvider } from "@/test/harness/oidc-provider";
import { s3TargetAppEnv, s3TargetFromEnv } from "@/test/harness/s3-target";

import { AUTH_SECRET, AUTH_USER_ID_KEY, LB_ORIGIN, OIDC_CLIENT, OIDC_PORT, S3_PORT } from "./config";

/**
 * Once per run: the production build (skipped with E2E_SKIP_BUILD=1 when one exists), the staged
 * standalone artifact, the embedded S3 with the bucket set up by the project's own command. The
 * instances and nginx are started per worker (e2e/cluster/fixtures.ts), so tests can kill and
 * restart them.
 */
export default async function globalSetup() {
  if (!nginxBinary()) throw new Error("nginx is not installed: run `npm run test:setup` (Debian: apt-get install nginx)");
  if (process.env.E2E_CLUSTER_CONTAINER === "1") return containerSetup();
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

/**
 * E2E_CLUSTER_CONTAINER=1 (tier `container`): the instances are containers of the image the
 * Dockerfile builds, on the real S3 the tier gives (S3_TEST_*, a Ceph RGW in CI), with the bucket
 * set up by the image's `setup` target as compose.yaml runs it (s3:setup, then s3:check).
 */
async function containerSetup() {
  const target = s3TargetFromEnv();
  if (!target) throw new Error("E2E_CLUSTER_CONTAINER=1 needs a real S3 (S3_TEST_ENDPOINT; the `container` tier starts a Ceph RGW)");
  const base = ensureBaseImage();
  console.log(`container: base image ${base.ref} (${base.how})`);
  const built = buildImages(base.ref);
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  console.log(`container: built ${built.runtime} (${mb(built.runtimeBytes)}) and ${built.setup} (${mb(built.setupBytes)}) in ${built.seconds.toFixed(0)} s`);

  const oidc = new OidcProvider({ port: OIDC_PORT, clientId: OIDC_CLIENT.id, clientSecret: OIDC_CLIENT.secret, redirectUris: [`${LB_ORIGIN}/api/auth/callback/oidc`] });
  const env = testAppEnv({
    url: LB_ORIGIN,
    secrets: { AUTH_SECRET, AUTH_USER_ID_KEY },
    devLogin: true,
    oidc: { port: OIDC_PORT, client: OIDC_CLIENT },
    s3: s3TargetAppEnv(target, target.bucket ?? "e2e-cluster-avatars"),
  });
  const setup = loadImage(built.setup);
  try {
    for (const [name, args] of [["s3-setup", undefined], ["s3-check", ["npm", "run", "s3:check"]]] as const) {
      const result = runOnce(setup, name, env, args ? [...args] : undefined);
      console.log(`container: ${built.setup} ${args ? args.join(" ") : `CMD (${setup.args.join(" ")})`}, as ${setup.user} (uid ${setup.uid}): exit ${result.status}`);
      if (result.status !== 0) throw new Error(`the setup image failed (exit ${result.status}):\n${result.output}`);
    }
  } finally {
    releaseImage(setup);
  }
  await oidc.start();

  const logDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-cluster-e2e-logs-"));
  process.env.E2E_CLUSTER_IMAGE = built.runtime;
  process.env.E2E_CLUSTER_ENV = JSON.stringify(env);
  process.env.E2E_CLUSTER_LOG_DIR = logDir;
  console.log(`cluster e2e: containers of ${built.runtime} (runc), instance and nginx logs in ${logDir}`);
  return async () => {
    await oidc.stop();
  };
}
