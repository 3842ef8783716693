import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * GET /api/metrics as Next calls it. lib/env.ts reads the configuration once per module graph, so
 * each configuration loads the route afresh (vi.resetModules); the registry stays the same across
 * those loads, which the last test reads back.
 */

const TOKEN = "route-test-metrics-token-0123456789";

beforeAll(() => {
  vi.stubEnv("AUTH_SECRET", "metrics-route-test-secret-0123456789");
  vi.stubEnv("S3_BUCKET", "metrics-route-test");
  vi.stubEnv("INSTANCE_ID", "unit-3");
  vi.stubEnv("LOG_LEVEL", "silent");
});

afterEach(() => vi.stubEnv("METRICS_TOKEN", ""));

async function metricsRoute(token: string) {
  vi.stubEnv("METRICS_TOKEN", token);
  vi.resetModules();
  return (await import("./route")).GET;
}

const get = (headers: Record<string, string> = {}) => new NextRequest("http://app.test/api/metrics", { headers });
const context = { params: Promise.resolve({}) };

describe("GET /api/metrics", () => {
  it("does not exist without METRICS_TOKEN: 404, whatever the request carries", async () => {
    const GET = await metricsRoute("");
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer " }, { authorization: `Bearer ${TOKEN}` }];
    for (const headers of attempts) {
      const response = await GET(get(headers), context);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  it("is 401 in the usual error shape without the token or with a wrong one", async () => {
    const GET = await metricsRoute(TOKEN);
    const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Basic ${TOKEN}` }];
    for (const headers of attempts) {
      const response = await GET(get(headers), context);
      expect(response.status).toBe(401);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized", message: "A valid metrics token is required." } });
    }
  });

  it("serves Prometheus text, not cached, with the token", async () => {
    const GET = await metricsRoute(TOKEN);
    const response = await GET(get({ authorization: `Bearer ${TOKEN}` }), context);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.text();
    for (const name of [
      "avatar_relay_http_requests_total",
      "avatar_relay_http_request_duration_seconds",
      "avatar_relay_rate_limited_total",
      "avatar_relay_image_jobs_running",
      "avatar_relay_image_jobs_queued",
      "avatar_relay_s3_requests_total",
      "avatar_relay_s3_request_duration_seconds",
      "avatar_relay_s3_errors_total",
      "process_resident_memory_bytes",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(body).toContain(`# TYPE ${name} `);
    }
    // Counted by the route loaded for the tests above, served by this one: one registry.
    expect(body).toContain('avatar_relay_http_requests_total{route="/api/metrics",method="GET",status="404",instance_id="unit-3"} 3');
    expect(body).toContain('avatar_relay_http_requests_total{route="/api/metrics",method="GET",status="401",instance_id="unit-3"} 3');
  });
});
