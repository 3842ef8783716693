/**
 * `npm run cluster`: several instances of the production build behind nginx, on this machine, for
 * a person to try things out (the cluster e2e tier drives the same Cluster class).
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";

import { embeddedS3AppEnv, sharedAppEnv } from "./app-env";
import { applyBucketSetupWith } from "./bucket/apply-setup";
import { buildOnce, stageArtifact } from "./build";
import { Cluster } from "./cluster";
import { startEmbeddedS3, type EmbeddedS3 } from "./embedded-s3";
import { ROOT } from "./paths";

export type LocalClusterOptions = { instances: number; port: number; s3: "embedded" | "env"; skipBuild: boolean; s3Port: number; s3Dir: string };

/** Starts everything and stays up until Ctrl-C or SIGTERM, which stop it in order (nginx, drain, S3). */
export async function runLocalCluster(opts: LocalClusterOptions): Promise<void> {
  const lbUrl = `http://127.0.0.1:${opts.port}`;
  const origins = [lbUrl, `http://localhost:${opts.port}`];

  console.log(buildOnce({ skip: opts.skipBuild }) ? "built .next" : "reusing the existing build in .next (--skip-build)");
  const artifact = stageArtifact();
  console.log(`staged the standalone artifact (build ${artifact.buildId}) in ${artifact.dir}`);

  let embedded: EmbeddedS3 | undefined;
  let s3: Record<string, string>;
  if (opts.s3 === "embedded") {
    const dir = path.resolve(ROOT, opts.s3Dir);
    embedded = await startEmbeddedS3({ port: opts.s3Port, directory: dir });
    console.log(`embedded S3 (s3rver) on ${embedded.endpoint}, data in ${path.relative(ROOT, dir)}`);
    s3 = embeddedS3AppEnv(embedded.endpoint, "avatar-relay");
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
  try {
    applyBucketSetupWith(env);
  } catch (error) {
    await embedded?.close();
    throw error;
  }

  const cluster = new Cluster({ runtime: artifact.dir, port: opts.port, instances: opts.instances, env });
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

  console.log(
    [
      "",
      `load balancer (nginx, round robin): ${cluster.url}   <- open this one (sign in with any name)`,
      ...cluster.instances().map((i) => `  ${i.spec.id}  ${i.url}  pid ${i.pid}`),
      `every response names its instance in x-served-by; try: curl -si ${cluster.url}/api/health | grep -i x-served-by`,
      "kill -9 <pid> takes an instance down (nginx routes around it); Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
  for (const instance of cluster.instances()) {
    void instance.exited.then(({ code, signal }) => {
      if (!stopping) console.log(`${instance.spec.id} (pid ${instance.pid}) exited (${signal ?? `code ${code}`}); the others keep serving`);
    });
  }
}
