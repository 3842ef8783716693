/**
 * `npm run dev`: with the defaults in .env.development, starts the embedded S3 server (data in
 * .data/s3, git-ignored), makes sure the bucket and its CORS rules exist, then runs `next dev`.
 * Point S3_* at a real bucket (and S3_EMBEDDED=false) in .env.local to develop against it instead.
 */
import "@/tools/cli/require-node";

import { spawn } from "node:child_process";
import path from "node:path";

import { getEnv } from "@/lib/env";
import { applyBucketSetup, bucketTargetFromEnv, formatFindings } from "@/tools/bucket/bucket-setup";

import { loadProjectEnv } from "@/tools/cli/load-env";
import { startEmbeddedS3, type EmbeddedS3 } from "@/tools/embedded-s3";

async function main() {
  loadProjectEnv();
  const env = getEnv();
  let embedded: EmbeddedS3 | undefined;
  if (process.env.S3_EMBEDDED === "true") {
    const port = Number(new URL(env.S3_ENDPOINT ?? "http://127.0.0.1:4569").port || 4569);
    embedded = await startEmbeddedS3({ port, directory: path.resolve(process.env.S3_EMBEDDED_DIR ?? ".data/s3") });
    console.log(`embedded S3 (s3rver) listening on ${embedded.endpoint}, data in ${process.env.S3_EMBEDDED_DIR ?? ".data/s3"}`);
  }
  const findings = await applyBucketSetup(bucketTargetFromEnv());
  console.log(formatFindings(findings));

  const next = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "dev", ...process.argv.slice(2)], {
    stdio: "inherit",
    env: process.env,
  });
  const stop = (signal: NodeJS.Signals) => next.kill(signal);
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  next.on("exit", async (code) => {
    await embedded?.close();
    process.exit(code ?? 0);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
