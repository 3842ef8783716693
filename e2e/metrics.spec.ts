import { expect, test, type APIRequestContext } from "@playwright/test";

import { ApiUser } from "@/test/harness/api-user";

import { APP_ORIGIN, METRICS_TOKEN } from "./single/config";
import { plainJpeg } from "./support/pictures";

/**
 * /api/metrics of the production build, as Prometheus scrapes it. Pages run in another Turbopack
 * runtime than route handlers, with their own copy of every module (the S3 client and the metrics
 * registry too): the S3 calls a page makes showing up on /api/metrics prove that every copy records
 * into the one registry on globalThis (lib/metrics/registry.ts).
 */

type Sample = { name: string; labels: Record<string, string>; value: number };

function samples(text: string): Sample[] {
  return text.split("\n").flatMap((line) => {
    const match = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries([...match[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

async function scrape(request: APIRequestContext): Promise<Sample[]> {
  const response = await request.get("/api/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
  return samples(await response.text());
}

const requestsTo = (all: Sample[], route: string, method: string, status: string) =>
  all.find((s) => s.name === "avatar_relay_http_requests_total" && s.labels.route === route && s.labels.method === method && s.labels.status === status)?.value ?? 0;

test("with the token, /api/metrics counts the steps a user just took by route pattern, and the S3 calls they made", async ({ request }) => {
  expect((await request.get("/api/metrics", { headers: { authorization: "Bearer not-the-token" } })).status()).toBe(401);

  const before = await scrape(request);
  const user = await ApiUser.signIn(`metrics-${Date.now()}`, APP_ORIGIN);
  const { uploadId } = await user.uploadReady(await plainJpeg(640, 480));
  const afterSteps = await scrape(request);
  // The history page lists the user's avatars itself (a server component), no route handler involved.
  expect((await user.request.get("/avatar/history")).status()).toBe(200);
  await user.dispose();
  const after = await scrape(request);
  const lists = (all: Sample[]) => all.find((s) => s.name === "avatar_relay_s3_requests_total" && s.labels.operation === "ListObjectsV2")?.value ?? 0;
  expect(lists(after) - lists(afterSteps)).toBeGreaterThanOrEqual(1);

  expect(requestsTo(after, "/api/uploads", "POST", "201") - requestsTo(before, "/api/uploads", "POST", "201")).toBe(1);
  expect(requestsTo(after, "/api/uploads/[uploadId]/finish", "POST", "200") - requestsTo(before, "/api/uploads/[uploadId]/finish", "POST", "200")).toBe(1);
  const routes = after.filter((s) => s.name === "avatar_relay_http_requests_total").map((s) => s.labels.route!);
  expect(routes.filter((route) => route.includes(uploadId))).toEqual([]);
  for (const sample of after) expect(sample.labels.instance_id, sample.name).toBe("e2e-1");
  const s3Gets = after.find((s) => s.name === "avatar_relay_s3_requests_total" && s.labels.operation === "GetObject");
  expect(s3Gets?.value).toBeGreaterThan(0);
  expect(after.some((s) => s.name === "process_resident_memory_bytes" && s.value > 0)).toBe(true);
});
