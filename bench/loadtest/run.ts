/**
 * `npm run loadtest`: V virtual users (default 8, each its own signed-in user) walk the whole wizard
 * over HTTP through nginx on three instances of the production build for D seconds (default 120),
 * while an instance is SIGKILLed and brought back, every instance is restarted in turn (SIGTERM,
 * drain) and S3 is frozen for a few seconds. Then it checks S3 and the API and writes
 * bench/results/loadtest.md and loadtest.json. Loopback only; it stops by itself.
 *
 *   npm run loadtest -- --users 8 --duration 120 [--skip-build] [--s3 ceph|embedded] [--no-write]
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import sharp from "sharp";

import { embeddedS3AppEnv, testAppEnv } from "@/tools/app-env";
import { applyBucketSetupWith } from "@/tools/bucket/apply-setup";
import { buildOnce, stageArtifact } from "@/tools/build";
import { cephAvailability, startCeph, type CephRgw } from "@/test/harness/ceph-rgw";
import { Cluster } from "@/tools/cluster";
import { startThrowawayS3, type EmbeddedS3 } from "@/tools/embedded-s3";
import { photoLike } from "@/test/harness/images";
import { sleep } from "@/tools/processes";
import { handleSignals, interrupted } from "@/test/harness/runner/child";

import { chaosPlan, runChaos } from "./chaos";
import { MetricsScraper } from "./metrics";
import { runProbes } from "./probes";
import { renderLoadtestReport, type LoadtestResults } from "./report";
import { verify } from "./verify";
import { newLog, Walker } from "./walker";

const RESULTS = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "results");
const MAX_REQUESTS = 50_000;
const UPLOADS_PER_HOUR = 150;
const CALM_MS = 15_000;

function options() {
  const { values } = parseArgs({
    options: { users: { type: "string" }, duration: { type: "string" }, "skip-build": { type: "boolean" }, s3: { type: "string" }, "no-write": { type: "boolean" }, port: { type: "string" } },
  });
  const users = Number(values.users ?? 8);
  const durationSeconds = Number(values.duration ?? 120);
  if (!Number.isInteger(users) || users < 1 || users > 64) throw new Error("--users must be a whole number from 1 to 64");
  if (!Number.isFinite(durationSeconds) || durationSeconds < 10 || durationSeconds > 600) throw new Error("--duration must be 10 to 600 seconds");
  const s3 = values.s3 ?? (cephAvailability().available ? "ceph" : "embedded");
  if (s3 !== "ceph" && s3 !== "embedded") throw new Error('--s3 must be "ceph" or "embedded"');
  return { users, durationSeconds, s3, skipBuild: Boolean(values["skip-build"]), write: !values["no-write"], port: Number(values.port ?? 3400) };
}

function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function main() {
  handleSignals("loadtest");
  const opts = options();
  const lbUrl = `http://127.0.0.1:${opts.port}`;
  const metricsToken = randomBytes(24).toString("hex");

  console.log(buildOnce({ skip: opts.skipBuild }) ? "built .next" : "reusing the build in .next");
  const artifact = stageArtifact();
  let ceph: CephRgw | undefined;
  let embedded: EmbeddedS3 | undefined;
  let s3Env: Record<string, string>;
  let s3Pid: number;
  let s3Label: string;
  if (opts.s3 === "ceph") {
    ceph = await startCeph({ lcDaySeconds: 0, label: "loadtest", tag: "loadtest" });
    s3Env = { ...ceph.s3, S3_BUCKET: "loadtest-avatars" };
    s3Pid = Number(readFileSync(path.join(ceph.dir, "run", "rgw.launch.pid"), "utf8").trim());
    s3Label = ceph.version;
  } else {
    embedded = await startThrowawayS3({ tag: "loadtest" });
    s3Env = embeddedS3AppEnv(embedded.endpoint, "loadtest-avatars");
    s3Pid = embedded.pid;
    s3Label = "the embedded s3rver";
  }
  const env = {
    ...testAppEnv({
      url: lbUrl,
      secrets: { AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_USER_ID_KEY: randomBytes(32).toString("base64") },
      devLogin: true,
      s3: s3Env,
    }),
    // Above what one virtual user walks in a run (the default 30 would stop them); the burst probe goes past it.
    UPLOADS_PER_HOUR: String(UPLOADS_PER_HOUR),
    METRICS_TOKEN: metricsToken,
    LOG_LEVEL: "warn",
  };
  applyBucketSetupWith(env);
  Object.assign(process.env, env); // verify() reads the same bucket through lib/storage
  const logDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-loadtest-logs-"));
  const cluster = new Cluster({ runtime: artifact.dir, port: opts.port, instances: 3, env, logDir, idPrefix: "load-" });
  const cleanup = async () => {
    await cluster.stop().catch(() => undefined);
    await embedded?.close();
    ceph?.stop();
    rmSync(artifact.dir, { recursive: true, force: true });
  };
  try {
    await cluster.start();
    console.log(`cluster up at ${lbUrl} (logs in ${logDir}), S3: ${s3Label}`);

    const pictures = await Promise.all(
      [
        [2400, 1600],
        [3000, 2000],
        [1600, 1200],
      ].map(async ([width, height], i) => ({ bytes: await sharp(await photoLike(width!, height!, i + 1)).jpeg({ quality: 88 }).toBuffer(), width: width!, height: height! })),
    );
    const t0 = Date.now();
    const log = newLog();
    const walkers = Array.from({ length: opts.users }, (_, i) => new Walker(lbUrl, `load-user-${i + 1}-${t0}`, log, t0));
    await Promise.all(walkers.map((w) => w.signIn()));
    const scraper = new MetricsScraper(
      () => cluster.instances().map((i) => ({ id: i.spec.id, url: i.url })),
      metricsToken,
      (labels) => (/^\/api\/(uploads|avatars)/.test(labels.route ?? "") ? `${labels.method} ${labels.route} ${labels.status}` : undefined),
    );
    await scraper.start();

    const started = Date.now();
    const durationMs = opts.durationSeconds * 1000;
    const over = () => Date.now() - started >= durationMs || Boolean(interrupted()) || log.samples.length >= MAX_REQUESTS;
    const peakRss: Record<string, number> = {};
    const sampler = setInterval(() => {
      for (const instance of cluster.instances()) peakRss[instance.spec.id] = Math.max(peakRss[instance.spec.id] ?? 0, rssOf(instance.pid));
    }, 500);
    const chaos = runChaos({ cluster, s3Pid, plan: chaosPlan(durationMs), t0: started, stopped: over });
    await Promise.all(
      walkers.map(async (walker, i) => {
        for (let n = 0; !over() && !walker.limited; n++) await walker.walk(pictures[(i + n) % pictures.length]!, n % 3 === 2);
      }),
    );
    const events = await chaos;

    // A calm phase with every process up and no chaos: between two scrapes taken while no walk is
    // under way, the instances' counters and the load test's own count must agree exactly.
    const calmClientBefore = new Map(log.answers);
    const calmServerBefore = await scraper.snapshot();
    const calmStarted = Date.now();
    await Promise.all(
      walkers.map(async (walker, i) => {
        for (let n = 0; Date.now() - calmStarted < CALM_MS && !interrupted() && !walker.limited; n++) await walker.walk(pictures[(i + n) % pictures.length]!, n % 3 === 2);
      }),
    );
    const calmServerAfter = await scraper.snapshot();
    const calmClient = new Map([...log.answers].map(([key, n]) => [key, n - (calmClientBefore.get(key) ?? 0)] as const).filter(([, n]) => n > 0));
    const calm = scraper.compare(calmClient, "", calmServerBefore, calmServerAfter);
    clearInterval(sampler);
    await sleep(3_000); // the saves' cleanup runs after their answers
    const { resets } = await scraper.stop();
    console.log(`walks ${log.walks}, saves ${log.saves.length}, errors ${log.errors.length}; checking S3 and the API...`);
    const verdict = await verify(walkers, log.saves);
    console.log("probes: a crop flood, a burst of upload starts, a slow 1 MiB chunked body...");
    const probes = await runProbes({ lbUrl, instanceUrl: cluster.instances()[0]!.url, uploadsPerHour: UPLOADS_PER_HOUR, t0 });

    const client = new Map<string, number>();
    for (const [key, value] of log.answers) client.set(key, value);
    const metrics = scraper.compare(
      client,
      `Counters started again ${resets} times (new processes) during the run. Where the whole run differs, it is by answers a process gave after its last scrape before it was killed or restarted: Prometheus would lose those too.`,
    );
    const results: LoadtestResults = {
      startedAt: new Date(t0).toISOString(),
      options: { users: opts.users, durationSeconds: opts.durationSeconds, instances: 3, s3: s3Label, node: process.version, cpus: availableParallelism() },
      log: { ...log, answers: Object.fromEntries(log.answers), lbAnswers: Object.fromEntries(log.lbAnswers) },
      chaos: events,
      peakRss,
      verdict,
      metrics,
      calm,
      probes,
    };
    const report = renderLoadtestReport(results);
    console.log(`\n${report}`);
    if (opts.write) {
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(path.join(RESULTS, "loadtest.json"), `${JSON.stringify(results)}\n`);
      writeFileSync(path.join(RESULTS, "loadtest.md"), report);
      console.log(`wrote bench/results/loadtest.md and loadtest.json`);
    }
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
