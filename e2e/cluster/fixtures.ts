import { existsSync, readFileSync } from "node:fs";

import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

import { Cluster } from "@/test/harness/cluster";

import { INSTANCES, LB_ORIGIN, LB_PORT } from "./config";

/**
 * `cluster`: three instances of the staged standalone server behind nginx, started once per
 * worker. Before and after every test, any instance a test killed or stopped is started again, so
 * the tests do not depend on their order; before every test the whole cluster is checked healthy.
 */
export const test = base.extend<{ cluster: Cluster }, { workerCluster: Cluster }>({
  workerCluster: [
    // (The second argument is Playwright's `use`; named `provide` so React's hook lint leaves it alone.)
    async ({}, provide) => {
      const artifactDir = process.env.E2E_CLUSTER_ARTIFACT;
      const env = process.env.E2E_CLUSTER_ENV;
      if (!artifactDir || !env) throw new Error("run with -c playwright.cluster.config.ts (its globalSetup stages the app)");
      const cluster = new Cluster({
        artifactDir,
        port: LB_PORT,
        instances: INSTANCES,
        env: JSON.parse(env) as Record<string, string>,
        logDir: process.env.E2E_CLUSTER_LOG_DIR,
        idPrefix: "node-",
      });
      await cluster.start();
      console.log(`cluster: nginx ${cluster.url} -> ${cluster.instances().map((i) => `${i.spec.id} :${i.spec.port} (pid ${i.pid})`).join(", ")}`);
      await provide(cluster);
      await cluster.stop();
    },
    { scope: "worker", timeout: 180_000 },
  ],
  // Automatic: every test, whether it names `cluster` or only drives a browser through nginx,
  // starts from a healthy cluster (a new worker after a failure starts one first), or fails here
  // with a message naming what is unhealthy instead of a bare ERR_CONNECTION_REFUSED.
  cluster: [
    async ({ workerCluster }, provide) => {
      const before = await workerCluster.ensureAllRunning();
      if (before.length) console.log(`cluster: restarted ${before.join(", ")} before the test`);
      await workerCluster.assertHealthy();
      await provide(workerCluster);
      await workerCluster.ensureAllRunning();
    },
    { auto: true },
  ],
});

export { expect };
export { expectAvatarIsCrop } from "../support/avatar-checks";

export type Served = { method: string; path: string; status: number; servedBy: string };

/** Records every response from the load balancer with the instance that served it. */
export function recordServedBy(page: Page): Served[] {
  const served: Served[] = [];
  page.on("response", (response) => {
    if (!response.url().startsWith(LB_ORIGIN)) return;
    const servedBy = response.headers()["x-served-by"];
    if (!servedBy) return;
    const url = new URL(response.url());
    served.push({ method: response.request().method(), path: url.pathname, status: response.status(), servedBy });
  });
  return served;
}

/** The wizard's own API calls (the three steps), in order. */
export function stepCalls(served: Served[]): Served[] {
  return served.filter((s) => s.method === "POST" && /^\/api\/uploads(\/[0-9a-f]{32}\/(finish|crop|save))?$/.test(s.path));
}

export function formatServed(served: Served[]): string {
  return served.map((s) => `${s.method} ${s.path.replace(/[0-9a-f]{32}/, "<upload>")} ${s.status} <- ${s.servedBy}`).join("\n  ");
}

/** The JSON log lines an instance wrote (its log file), parsed. */
export function logLines(cluster: Cluster, id: string): Record<string, unknown>[] {
  const file = cluster.logFile(id);
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}


/** The session cookie header of a signed-in browser context, for requests outside it. */
export async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies(LB_ORIGIN)).map((c) => `${c.name}=${c.value}`).join("; ");
}
