import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";

import { GET } from "@/app/api/health/route";
import { HEALTH_PROBE_MAX_AGE_MS } from "@/lib/health/bucket-health";
import { appMetrics } from "@/lib/metrics/registry";

import { ensureBucket } from "./helpers";

/** GET /api/health against a real S3-compatible server: a flood of checks costs S3 one listing per window. */

async function listings(): Promise<number> {
  const values = (await appMetrics().s3Requests.get()).values;
  return values.find((value) => value.labels.operation === "ListObjectsV2")?.value ?? 0;
}

const health = () => GET(new NextRequest("http://127.0.0.1:3999/api/health"), { params: Promise.resolve({}) });

beforeAll(ensureBucket);

describe("GET /api/health", () => {
  it("answers 200 to 50 concurrent and 50 rapid checks with at most one S3 call per window", async () => {
    await new Promise((resolve) => setTimeout(resolve, HEALTH_PROBE_MAX_AGE_MS)); // ensureBucket's own calls are not the health check's
    const before = await listings();
    const concurrent = await Promise.all(Array.from({ length: 50 }, () => health()));
    const rapid = [];
    for (let i = 0; i < 50; i += 1) rapid.push(await health());
    expect([...concurrent, ...rapid].every((response) => response.status === 200)).toBe(true);
    expect((await listings()) - before).toBeLessThanOrEqual(1);

    await new Promise((resolve) => setTimeout(resolve, HEALTH_PROBE_MAX_AGE_MS + 50));
    const afterWindow = await listings();
    expect((await health()).status).toBe(200);
    expect((await listings()) - afterWindow).toBe(1); // a fresh probe once the last one is a window old
  });
});
