import net from "node:net";

import { closedPort } from "@/tools/ports";

import { expect, startOutsideTheCluster, test } from "./fixtures";

/** GET /api/health: what a load balancer's health check sees. */

async function timedHealth(url: string) {
  const started = Date.now();
  const response = await fetch(`${url}/api/health`);
  return { response, ms: Date.now() - started, body: (await response.json()) as { status?: string; instance?: string; error?: { code: string } } };
}

test("200 naming the instance, from every instance", async ({ cluster }) => {
  for (const instance of cluster.instances()) {
    const { response, body } = await timedHealth(instance.url);
    expect(response.status).toBe(200);
    expect(body).toEqual({ status: "ok", instance: instance.spec.id });
    expect(response.headers.get("x-served-by")).toBe(instance.spec.id);
  }
});

test("503 within a bounded time when S3 is unreachable: a closed port, then an S3 that never answers", async ({ cluster }) => {
  test.setTimeout(90_000);
  const closed = await closedPort();
  const refused = await startOutsideTheCluster(cluster, { S3_ENDPOINT: `http://127.0.0.1:${closed}` }, "no-s3");
  try {
    const { response, ms, body } = await timedHealth(refused.url);
    console.log(`S3_ENDPOINT=http://127.0.0.1:${closed} (closed): /api/health ${response.status} ${body.error?.code} in ${ms} ms`);
    expect(response.status).toBe(503);
    expect(body.error?.code).toBe("storage_unavailable");
    expect(response.headers.get("retry-after")).toBe("5");
    expect(response.headers.get("x-served-by")).toBe("no-s3");
    expect(ms).toBeLessThan(10_000);
  } finally {
    await refused.stop();
  }

  // A port that accepts connections and never answers: the S3 request timeout bounds the check.
  const held = new Set<net.Socket>();
  const frozen = net.createServer((socket) => held.add(socket));
  await new Promise<void>((resolve) => frozen.listen(0, "127.0.0.1", resolve));
  const port = (frozen.address() as net.AddressInfo).port;
  const hung = await startOutsideTheCluster(cluster, { S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_REQUEST_TIMEOUT_MS: "1500" }, "frozen-s3");
  try {
    const { response, ms, body } = await timedHealth(hung.url);
    console.log(`S3 accepting but never answering (S3_REQUEST_TIMEOUT_MS=1500): /api/health ${response.status} ${body.error?.code} in ${ms} ms`);
    expect(response.status).toBe(503);
    expect(ms).toBeLessThan(10_000);
  } finally {
    await hung.stop();
    held.forEach((socket) => socket.destroy());
    frozen.close();
  }
});
