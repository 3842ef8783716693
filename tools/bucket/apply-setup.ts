/** The bucket set up by the project's own command, the way a deployment does it. */
import { spawnSync } from "node:child_process";

import { ROOT, TSX_NODE_ARGS } from "../paths";

/** `npm run s3:setup` (scripts/bucket.ts apply) with this app environment, in production mode. */
export function applyBucketSetupWith(env: Record<string, string | undefined>): void {
  const result = spawnSync(process.execPath, [...TSX_NODE_ARGS, "scripts/bucket.ts", "apply"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  if (result.status !== 0) throw new Error(`scripts/bucket.ts apply failed with exit code ${result.status}`);
}
