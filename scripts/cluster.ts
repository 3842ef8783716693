/**
 * `npm run cluster`: several instances of the production build behind nginx, on this machine
 * (tools/local-cluster.ts).
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
import "@/tools/cli/require-node";

import { parseArgs } from "node:util";

import { loadProjectEnv } from "@/tools/cli/load-env";
import { runLocalCluster, type LocalClusterOptions } from "@/tools/local-cluster";

function options(): LocalClusterOptions {
  const { values } = parseArgs({
    options: { instances: { type: "string", short: "n" }, port: { type: "string", short: "p" }, "skip-build": { type: "boolean" }, s3: { type: "string" } },
  });
  const env = process.env;
  const instances = Number(values.instances ?? env.CLUSTER_INSTANCES ?? 3);
  const port = Number(values.port ?? env.CLUSTER_PORT ?? 3200);
  const s3 = values.s3 ?? env.CLUSTER_S3 ?? "embedded";
  if (!Number.isInteger(instances) || instances < 1 || instances > 32) throw new Error("--instances must be a whole number from 1 to 32");
  if (!Number.isInteger(port) || port < 1024 || port + instances > 65535) throw new Error("--port must be a free port number above 1023");
  if (s3 !== "embedded" && s3 !== "env") throw new Error('--s3 must be "embedded" or "env"');
  const skipBuild = Boolean(values["skip-build"]) || ["1", "true"].includes(env.CLUSTER_SKIP_BUILD ?? "");
  return { instances, port, s3, skipBuild, s3Port: Number(env.CLUSTER_S3_PORT ?? 4570), s3Dir: env.CLUSTER_S3_DIR ?? ".data/cluster-s3" };
}

// Production semantics: .env.production(.local), .env.local and .env, never .env.development
// (its URLs name the dev server's ports).
Object.assign(process.env, { NODE_ENV: "production" });
loadProjectEnv();
runLocalCluster(options()).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
