/**
 * `npm run s3:setup` creates the bucket and applies its CORS and lifecycle rules;
 * `npm run s3:check` reports, in words a person can act on, what is missing or wrong.
 * Works against any S3 endpoint configured through the app's own environment variables.
 */
import { loadProjectEnv } from "@/tools/cli/load-env";
import { getEnv } from "@/lib/env";
import { applyBucketSetup, bucketTargetFromEnv, checkBucketSetup, formatFindings } from "@/tools/bucket/bucket-setup";

async function main() {
  const mode = process.argv[2];
  if (mode !== "apply" && mode !== "check") {
    console.error("usage: bucket.ts apply|check");
    process.exit(2);
  }
  loadProjectEnv();
  const env = getEnv();
  const target = bucketTargetFromEnv();
  console.log(`S3 ${target.endpoint ?? `AWS (${target.region})`}, bucket "${target.bucket}", app origins: ${env.CORS_ALLOWED_ORIGINS.join(", ") || "(none)"}`);
  const findings = mode === "apply" ? await applyBucketSetup(target) : await checkBucketSetup(target);
  console.log(formatFindings(findings));
  const errors = findings.filter((f) => f.level === "error").length;
  if (errors > 0) {
    console.error(`${errors} problem(s) found.`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
