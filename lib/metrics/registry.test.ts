import { beforeAll, describe, expect, it, vi } from "vitest";

import { JobLimiter } from "@/lib/limits/job-limiter";

/**
 * The registry and its metrics, as the scrape sees them. Next loads route handlers,
 * instrumentation.ts and proxy.ts as separate bundles; vi.resetModules() gives this test a second,
 * separate copy of the module the same way, to prove that both record into and serve one registry.
 */

beforeAll(() => {
  vi.stubEnv("AUTH_SECRET", "registry-test-secret-0123456789");
  vi.stubEnv("S3_BUCKET", "registry-test");
  vi.stubEnv("INSTANCE_ID", "unit-7");
  vi.stubEnv("LOG_LEVEL", "silent");
});

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("the metrics registry", () => {
  it("is one per process: a second copy of the module records into and serves the same registry", async () => {
    const first = await import("./registry");
    vi.resetModules();
    const second = await import("./registry");
    expect(second).not.toBe(first); // two module instances, as two Next bundles have
    expect(second.appMetrics()).toBe(first.appMetrics());

    first.observeRequest({ route: "/api/uploads/[uploadId]/crop", method: "POST", status: 201 }, 0.3);
    second.observeS3Call("GetObject", 0.02);
    const { body } = await second.renderMetrics();
    expect(body).toContain('avatar_relay_http_requests_total{route="/api/uploads/[uploadId]/crop",method="POST",status="201",instance_id="unit-7"} 1');
    expect(body).toContain('avatar_relay_s3_requests_total{operation="GetObject",instance_id="unit-7"} 1');
    // the default collectors were started once: a second start would have thrown "already registered"
    expect(body.match(/^# TYPE process_resident_memory_bytes /gm)).toHaveLength(1);
  });

  it("serves Prometheus text with the process's memory and event-loop delay, every series naming the instance", async () => {
    const { renderMetrics } = await import("./registry");
    const { body, contentType } = await renderMetrics();
    expect(contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(body).toMatch(/^process_resident_memory_bytes\{instance_id="unit-7"\} \d+/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_p99_seconds\{instance_id="unit-7"\} /m);
    const samples = body.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    expect(samples.length).toBeGreaterThan(20);
    for (const sample of samples) expect(sample).toContain('instance_id="unit-7"');
  });

  it("reports a tracked job limiter's running and queued jobs when scraped", async () => {
    const { renderMetrics, trackImageJobs } = await import("./registry");
    const limiter = trackImageJobs(new JobLimiter({ maxRunning: 1, maxQueued: 2, perOwner: { running: 1, queued: 2 } }));
    const gate = deferred();
    const jobs = [limiter.run("a", () => gate.promise), limiter.run("b", async () => undefined), limiter.run("c", async () => undefined)];
    let { body } = await renderMetrics();
    expect(body).toContain('avatar_relay_image_jobs_running{instance_id="unit-7"} 1');
    expect(body).toContain('avatar_relay_image_jobs_queued{instance_id="unit-7"} 2');
    gate.resolve();
    await Promise.all(jobs);
    ({ body } = await renderMetrics());
    expect(body).toContain('avatar_relay_image_jobs_running{instance_id="unit-7"} 0');
    expect(body).toContain('avatar_relay_image_jobs_queued{instance_id="unit-7"} 0');
  });

  it("counts S3 errors by operation and error name, beside the calls and their times", async () => {
    const { appMetrics, observeS3Call } = await import("./registry");
    observeS3Call("HeadObject", 0.004, "NotFound");
    const errors = (await appMetrics().s3Errors.get()).values;
    expect(errors).toContainEqual(expect.objectContaining({ labels: { operation: "HeadObject", error: "NotFound" }, value: 1 }));
    const durations = (await appMetrics().s3Duration.get()).values;
    expect(durations).toContainEqual(expect.objectContaining({ metricName: "avatar_relay_s3_request_duration_seconds_count", labels: { operation: "HeadObject" }, value: 1 }));
  });
});
