/**
 * Lists keys in the S3 an app runs against, from a process that cannot load the product's S3
 * client itself: a Playwright test (lib/storage/s3-client.ts is `server-only`, and Playwright does
 * not resolve the react-server condition). So it runs s3-listing-main.ts in a child Node with
 * that condition, which builds the client the one way the product does (createS3Client).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { ROOT, TSX_NODE_ARGS } from "../../tools/paths";

/** The S3_* settings of the app under test, as the e2e global setup leaves them in E2E_S3_ENV_IN_USE. */
export function s3EnvInUse(): Record<string, string> {
  const json = process.env.E2E_S3_ENV_IN_USE;
  if (!json) throw new Error("E2E_S3_ENV_IN_USE is not set: the e2e global setup sets it");
  return JSON.parse(json) as Record<string, string>;
}

/** Every key under each prefix (all pages), in S3's order. */
export function listKeysUnder(s3Env: Record<string, string>, prefixes: string[]): string[] {
  const result = spawnSync(process.execPath, [...TSX_NODE_ARGS, path.join(ROOT, "test/harness/s3-listing-main.ts"), ...prefixes], {
    cwd: ROOT,
    env: { ...process.env, ...s3Env },
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`listing ${prefixes.join(", ")} failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}
