import { existsSync, readFileSync } from "node:fs";

import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

import { Cluster } from "@/tools/cluster";
import { loadImage, RuncLauncher } from "@/test/harness/container/runc";
import type { Instance } from "@/tools/instance";
import { portIsOpen } from "@/tools/ports";

import { INSTANCES, LB_ORIGIN, LB_PORT, SPARE_PORT } from "./config";

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
      const image = process.env.E2E_CLUSTER_IMAGE;
      const env = process.env.E2E_CLUSTER_ENV;
      if (!(artifactDir || image) || !env) throw new Error("run with -c playwright.cluster.config.ts (its globalSetup stages the app)");
      // Containers of the built image (E2E_CLUSTER_CONTAINER=1), else node processes of the artifact.
      const launcher = image ? new RuncLauncher(loadImage(image)) : undefined;
      const cluster = new Cluster({
        runtime: launcher ?? artifactDir!,
        port: LB_PORT,
        instances: INSTANCES,
        env: JSON.parse(env) as Record<string, string>,
        logDir: process.env.E2E_CLUSTER_LOG_DIR,
        idPrefix: image ? "container-" : "node-",
      });
      await cluster.start();
      console.log(`cluster: nginx ${cluster.url} -> ${cluster.instances().map((i) => `${i.spec.id} :${i.spec.port} (pid ${i.pid})`).join(", ")}`);
      await provide(cluster);
      await cluster.stop();
      launcher?.dispose();
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

/** An instance on SPARE_PORT, outside the load balancer, run as the cluster's are (a process or a container). */
export async function startOutsideTheCluster(cluster: Cluster, env: Record<string, string>, id: string): Promise<Instance> {
  const instance = cluster.outsider({ id, port: SPARE_PORT }, env);
  const deadline = Date.now() + 30_000;
  while (!(await portIsOpen(SPARE_PORT))) {
    if (!instance.running || Date.now() > deadline) throw new Error(`${id} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return instance;
}

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
