import "server-only";

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

import { instanceId } from "@/lib/log";

/**
 * This instance's Prometheus metrics: one registry and every metric the app records, each labelled
 * with instance_id (not `instance`, which Prometheus sets itself to the scraped address and would
 * rename ours to exported_instance). Served by GET /api/metrics (lib/metrics/scrape-access.ts).
 */

type JobStats = { running: number; queued: number };

/** Wizard steps take from milliseconds (presign) to seconds (a 48 MP crop); S3 calls up to 2 × S3_REQUEST_TIMEOUT_MS. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function createMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ instance_id: instanceId() });
  // process_resident_memory_bytes, nodejs_eventloop_lag_*, heap, GC, handles...
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  // One source per job limiter; read when scraped, so the limiter needs no hooks of its own.
  const imageJobSources = new Set<() => JobStats>();
  const imageJobs = (field: keyof JobStats) => [...imageJobSources].reduce((sum, stats) => sum + stats()[field], 0);
  new Gauge({
    name: "avatar_relay_image_jobs_running",
    help: "Image jobs (finish, crop) running now.",
    registers,
    collect() {
      this.set(imageJobs("running"));
    },
  });
  new Gauge({
    name: "avatar_relay_image_jobs_queued",
    help: "Image jobs waiting for a slot now.",
    registers,
    collect() {
      this.set(imageJobs("queued"));
    },
  });

  return {
    registry,
    imageJobSources,
    httpRequests: new Counter({
      name: "avatar_relay_http_requests_total",
      help: "Requests answered by route handlers, by route pattern (never the path with its ids), method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: "avatar_relay_http_request_duration_seconds",
      help: "Time route handlers took to answer (each wizard step is a route), by route pattern and method.",
      labelNames: ["route", "method"] as const,
      buckets: SECONDS,
      registers,
    }),
    rateLimited: new Counter({
      name: "avatar_relay_rate_limited_total",
      help: "Requests refused with 429, by reason (uploads_per_hour, image_slots_full, image_jobs_per_user, ...).",
      labelNames: ["reason"] as const,
      registers,
    }),
    s3Requests: new Counter({
      name: "avatar_relay_s3_requests_total",
      help: "S3 calls by operation (GetObject, PutObject, ...), retries included in one call; presigning is not a call.",
      labelNames: ["operation"] as const,
      registers,
    }),
    s3Duration: new Histogram({
      name: "avatar_relay_s3_request_duration_seconds",
      help: "Time S3 calls took until their answer's headers, retries included, by operation.",
      labelNames: ["operation"] as const,
      buckets: SECONDS,
      registers,
    }),
    s3Errors: new Counter({
      name: "avatar_relay_s3_errors_total",
      help: "S3 calls that failed, by operation and error (NoSuchKey, NotFound, TimeoutError, ECONNREFUSED, ...).",
      labelNames: ["operation", "error"] as const,
      registers,
    }),
  };
}

export type AppMetrics = ReturnType<typeof createMetrics>;

/**
 * Kept on globalThis, not in a module variable: Next bundles route handlers, pages, instrumentation.ts
 * and proxy.ts separately, so one process holds several copies of this module (in a production build:
 * one for the route handlers, one for instrumentation.ts, and one in the pages' own Turbopack
 * runtime, where server components call S3 through their own copy of the S3 client), and development
 * re-evaluates modules on every change. A module-level registry would exist once per copy: what a
 * page's S3 calls counted would be missing from /api/metrics, and each copy would start its own
 * default collectors. globalThis is one per process: whichever copy asks first creates the registry,
 * every copy records into it and /api/metrics serves it. lib/metrics/registry.test.ts proves it for
 * two module graphs; e2e/metrics.spec.ts in the production build (a page's S3 calls are counted).
 */
const holder = globalThis as typeof globalThis & { __avatarRelayMetrics?: AppMetrics };

export function appMetrics(): AppMetrics {
  holder.__avatarRelayMetrics ??= createMetrics();
  return holder.__avatarRelayMetrics;
}

export function observeRequest(labels: { route: string; method: string; status: number }, seconds: number): void {
  const metrics = appMetrics();
  metrics.httpRequests.inc({ route: labels.route, method: labels.method, status: String(labels.status) });
  metrics.httpDuration.observe({ route: labels.route, method: labels.method }, seconds);
}

export function countRateLimited(reason: string): void {
  appMetrics().rateLimited.inc({ reason });
}

export function observeS3Call(operation: string, seconds: number, error?: string): void {
  const metrics = appMetrics();
  metrics.s3Requests.inc({ operation });
  metrics.s3Duration.observe({ operation }, seconds);
  if (error !== undefined) metrics.s3Errors.inc({ operation, error });
}

/** Reports a job limiter's running and queued jobs as gauges; returns it, to wrap where it is made. */
export function trackImageJobs<L extends { readonly stats: JobStats }>(limiter: L): L {
  appMetrics().imageJobSources.add(() => limiter.stats);
  return limiter;
}

/** The Prometheus text exposition of every metric, and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = appMetrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
