/**
 * `npm run cluster`: several instances of the production build behind nginx, on this machine.
 *
 *   npm run cluster                      # build, 3 instances, embedded S3, load balancer on :3200
 *   npm run cluster -- --instances 5 --port 8080 --skip-build
 *   CLUSTER_S3=env npm run cluster       # the S3 configured in the environment / .env.local
 *
 * Flags (and environment variables): --instances N (CLUSTER_INSTANCES, default 3), --port P
 * (CLUSTER_PORT, default 3200; instances listen on P+1..P+N), --skip-build (CLUSTER_SKIP_BUILD=1:
 * reuse .next when a build exists), --s3 embedded|env (CLUSTER_S3, default embedded; the embedded
 * S3 listens on CLUSTER_S3_PORT, default 4570, data in CLUSTER_S3_DIR, default .data/cluster-s3).
 *
 * Each instance runs `node server.js` from a staged copy of the standalone output (what the
 * Dockerfile's image holds) with its own port and INSTANCE_ID; they share only the S3 settings,
 * AUTH_SECRET and NEXTAUTH_URL (= the load balancer's URL). Ctrl-C stops everything.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { applyBucketSetup, formatFindings } from "@/lib/storage/bucket-setup";
import { createS3Client } from "@/lib/storage/s3-client";

import { Cluster } from "./cluster/cluster";
import { buildOnce, ROOT, sharedAppEnv, stageArtifact } from "./cluster/harness";
import { EMBEDDED_S3_CREDENTIALS, startEmbeddedS3, type EmbeddedS3 } from "./embedded-s3";
import { loadProjectEnv } from "./load-env";

function options() {
  const { values } = parseArgs({
    options: {
      instances: { type: "string", short: "n" },
      port: { type: "string", short: "p" },
      "skip-build": { type: "boolean" },
      s3: { type: "string" },
    },
  });
  const instances = Number(values.instances ?? process.env.CLUSTER_INSTANCES ?? 3);
  const port = Number(values.port ?? process.env.CLUSTER_PORT ?? 3200);
  const s3 = values.s3 ?? process.env.CLUSTER_S3 ?? "embedded";
  if (!Number.isInteger(instances) || instances < 1 || instances > 32) throw new Error("--instances must be a whole number from 1 to 32");
  if (!Number.isInteger(port) || port < 1024 || port + instances > 65535) throw new Error("--port must be a free port number above 1023");
  if (s3 !== "embedded" && s3 !== "env") throw new Error('--s3 must be "embedded" or "env"');
  const skipBuild = Boolean(values["skip-build"]) || ["1", "true"].includes(process.env.CLUSTER_SKIP_BUILD ?? "");
  return { instances, port, s3, skipBuild };
}

async function main() {
  const opts = options();
  // Production semantics: .env.production(.local), .env.local and .env, never .env.development
  // (its URLs name the dev server's ports).
  Object.assign(process.env, { NODE_ENV: "production" });
  loadProjectEnv();

  const lbUrl = `http://127.0.0.1:${opts.port}`;
  const origins = [lbUrl, `http://localhost:${opts.port}`];

  console.log(buildOnce({ skip: opts.skipBuild }) ? "built .next" : "reusing the existing build in .next (--skip-build)");
  const artifact = stageArtifact();
  console.log(`staged the standalone artifact (build ${artifact.buildId}) in ${artifact.dir}`);

  let embedded: EmbeddedS3 | undefined;
  let s3: Record<string, string>;
  if (opts.s3 === "embedded") {
    const dir = path.resolve(ROOT, process.env.CLUSTER_S3_DIR ?? ".data/cluster-s3");
    embedded = await startEmbeddedS3({ port: Number(process.env.CLUSTER_S3_PORT ?? 4570), directory: dir });
    console.log(`embedded S3 (s3rver) on ${embedded.endpoint}, data in ${path.relative(ROOT, dir)}`);
    s3 = {
      S3_ENDPOINT: embedded.endpoint,
      S3_BUCKET: "avatar-relay",
      S3_REGION: "us-east-1",
      S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: EMBEDDED_S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: EMBEDDED_S3_CREDENTIALS.secretAccessKey,
    };
  } else {
    s3 = Object.fromEntries(Object.entries(sharedAppEnv(process.env)).filter(([key]) => key.startsWith("S3_")));
    if (!s3.S3_BUCKET) throw new Error("--s3 env: S3_BUCKET (and the other S3_* variables) must be set, see .env.example");
    console.log(`S3 from the environment: ${s3.S3_ENDPOINT ?? `AWS (${s3.S3_REGION ?? "us-east-1"})`}, bucket ${s3.S3_BUCKET}`);
  }

  const env: Record<string, string> = {
    ...sharedAppEnv(process.env),
    ...s3,
    NEXTAUTH_URL: lbUrl,
    CORS_ALLOWED_ORIGINS: process.env.CORS_ALLOWED_ORIGINS ?? origins.join(","),
    AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
    // Random per run unless set: the ids (and so the data) of a local cluster last as long as it does.
    AUTH_USER_ID_KEY: process.env.AUTH_USER_ID_KEY ?? randomBytes(32).toString("base64"),
    // A local cluster is for trying things out: the development sign-in is on unless set otherwise.
    AUTH_DEV_LOGIN: process.env.AUTH_DEV_LOGIN ?? "true",
  };

  const findings = await applyBucketSetup({
    client: createS3Client({
      bucket: env.S3_BUCKET!,
      region: env.S3_REGION ?? "us-east-1",
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: ["true", "1"].includes(env.S3_FORCE_PATH_STYLE ?? ""),
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    }),
    bucket: env.S3_BUCKET!,
    origins: env.CORS_ALLOWED_ORIGINS!.split(",").map((o) => o.trim()),
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION ?? "us-east-1",
    forcePathStyle: ["true", "1"].includes(env.S3_FORCE_PATH_STYLE ?? ""),
  });
  console.log(formatFindings(findings));

  const cluster = new Cluster({ artifactDir: artifact.dir, port: opts.port, instances: opts.instances, env });
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping nginx, draining the instances (SIGTERM), stopping S3`);
    await cluster.stop().catch((error: unknown) => console.error(error));
    await embedded?.close();
    rmSync(artifact.dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("Ctrl-C"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  try {
    await cluster.start();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stop("start failed");
    return;
  }

  const lines = [
    "",
    `load balancer (nginx, round robin): ${cluster.url}   <- open this one (sign in with any name)`,
    ...cluster.instances().map((i) => `  ${i.spec.id}  ${i.url}  pid ${i.pid}`),
    "every response names its instance in x-served-by; try: curl -si " + `${cluster.url}/api/health | grep -i x-served-by`,
    "kill -9 <pid> takes an instance down (nginx routes around it); Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
  for (const instance of cluster.instances()) {
    void instance.exited.then(({ code, signal }) => {
      if (!stopping) console.log(`${instance.spec.id} (pid ${instance.pid}) exited (${signal ?? `code ${code}`}); the others keep serving`);
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
