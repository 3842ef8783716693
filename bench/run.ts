/**
 * `npm run bench` (or `npm run bench -- --quick` for a smoke run): the crop path beside its
 * alternatives, measured side by side in one run, and the figures behind the app's performance
 * claims. Writes bench/results/latest.md, latest.json and latest.svg. Not part of `npm test`.
 *
 * Options: --quick (few repetitions), --iterations=N (timed iterations), --no-web (skip the
 * production build and browser measurements), --no-probes (skip the peak-RSS and concurrency runs),
 * --only <server|web|network>[,…] (only those parts), --network-variants=<ids|all>,
 * --network-repetitions=N, --ways=<ids>, --inputs=<ids> (a subset of the timed ways and inputs), --name=<base> (write bench/results/<base>.md/.json/.svg instead of latest.*, for a
 * partial run beside the last full one), --render (measure nothing: rewrite latest.md and latest.svg from latest.json).
 * bench/README.md describes them.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { getEnv } from "@/lib/env";
import { meanDifference } from "@/test/harness/images";

import { renderChart, WAY_COLORS } from "./chart";
import { INPUTS } from "./inputs";
import { formatLoad, loadAverage, machineFacts, type Load } from "./machine";
import { PIXEL_CHECK_SIDE } from "./pixel-check";
import { benchUser, ensureBucket, prepareInput } from "./prepare";
import type { ConcurrencyResult, RssResult } from "./probe";
import { renderReport, type Results } from "./report";
import { appEnvironment, startBenchS3 } from "./s3";
import { median, p95, rotate } from "./stats";
import { measureRequestCosts, REQUEST_COSTS_INPUT } from "./request-costs";
import { runTimed } from "./timed";
import { disposeContext, newContext, type PreparedInput } from "./context";
import { BOX_SHARE, BOXES, cropBox } from "./crop-boxes";
import { WAY_LABELS, wayRunsOn, WAYS } from "./ways";
import { floorWay, naiveWay } from "./ways/in-memory";
import { CONVERT } from "./ways/temp-files";
import { NETWORK, VARIANTS, type VariantId } from "./web/network";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const RESULTS = path.join(HERE, "results");

const args = process.argv.slice(2);
const quick = args.includes("--quick");
/** `--name=value`, or `--name value`. */
const flag = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1] ?? (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
/** The results' base name: latest (a full run), or another for a partial run kept beside it. */
const NAME = flag("name") ?? "latest";

/** The parts of a run: the server side (timed ways, probes), the browser side's bytes and JavaScript, the network section. */
const PARTS = ["server", "web", "network"] as const;
type Part = (typeof PARTS)[number];
const only = flag("only")?.split(",");
if (only?.some((part) => !PARTS.includes(part as Part))) throw new Error(`--only takes ${PARTS.join(", ")} (comma-separated), not ${only.join(",")}`);
const runs = (part: Part) => !only || only.includes(part);

const networkVariants = (() => {
  const value = flag("network-variants");
  if (value === "all") return VARIANTS.map((variant) => variant.id);
  const ids = (value ?? "today,both").split(",");
  const unknown = ids.filter((id) => !VARIANTS.some((variant) => variant.id === id));
  if (unknown.length) throw new Error(`--network-variants takes all or ${VARIANTS.map((variant) => variant.id).join(", ")}, not ${unknown.join(",")}`);
  return ids as VariantId[];
})();
/** `--ways=app,floor` and `--inputs=jpeg-24mp`: a subset of the timed ways and inputs, for a quick A/B of two checkouts. */
function subset<T extends string>(name: string, all: readonly T[]): readonly T[] {
  const value = flag(name);
  if (!value) return all;
  const ids = value.split(",");
  const unknown = ids.filter((id) => !all.includes(id as T));
  if (unknown.length) throw new Error(`--${name} takes ${all.join(", ")} (comma-separated), not ${unknown.join(",")}`);
  return all.filter((id) => ids.includes(id));
}
const chosenWays = subset("ways", WAYS);
const chosenInputs = INPUTS.filter((input) => subset("inputs", INPUTS.map((each) => each.id)).includes(input.id));
if ((chosenWays.length < WAYS.length || chosenInputs.length < INPUTS.length) && NAME === "latest") throw new Error("--ways and --inputs measure a subset: add --name=<base> so the full report in latest.* stays whole");

const networkRepetitions = Number(flag("network-repetitions") ?? (quick ? 1 : 5));
const settings = {
  mode: quick ? ("quick" as const) : ("full" as const),
  iterations: Number(flag("iterations") ?? (quick ? 2 : 15)),
  warmup: 1,
  rssRepeats: quick ? 1 : 2,
  rssInputs: quick ? ["jpeg-24mp"] : INPUTS.map((input) => input.id),
  concurrencyLevels: [1, 2, 4, 8],
  concurrencyRounds: quick ? 1 : 3,
  concurrencyOperations: quick ? 8 : 16,
  boundRuns: [
    { workers: 8, operations: quick ? 8 : 16 },
    { workers: 32, operations: 32 },
  ],
  server: runs("server"),
  web: runs("web") && !args.includes("--no-web"),
  probes: runs("server") && !args.includes("--no-probes"),
  network: runs("network") && !args.includes("--no-web"),
  only,
  networkVariants,
  // Unshrunk files at the slowest uplink take up to a minute each: 3 repetitions there.
  networkRepetitions: { normal: networkRepetitions, slow: Math.min(networkRepetitions, 3) },
  networkInputs: quick ? ["jpeg-24mp"] : [...NETWORK.inputs],
};

const log = (line: string) => console.log(line);
const loads: { label: string; load: Load }[] = [];
const noteLoad = (label: string) => {
  const load = loadAverage();
  loads.push({ label, load });
  log(`load average ${formatLoad(load)} — ${label}`);
};

function probe<T>(env: NodeJS.ProcessEnv, probeArgs: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(HERE, "probe.ts"), ...probeArgs], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as T);
      else reject(new Error(`probe ${probeArgs.join(" ")} exited with ${code}: ${stderr.split("\n").filter((l) => !/AWS SDK|node >=22|a\.co|trace-warnings|^\s*$/.test(l)).slice(-8).join("\n")}`));
    });
  });
}

function writeOutputs(results: Results): string {
  const { machine, settings: used } = results;
  writeFileSync(
    path.join(RESULTS, `${NAME}.svg`),
    renderChart({
      title: "Crop + save, server side: time per operation",
      subtitle: `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, sharp ${machine.sharp} / libvips ${machine.libvips}; ${used.iterations} iterations (${results.mode})`,
      categories: results.inputs.map((input) => ({ id: input.id, label: input.label })),
      boxes: BOXES.map((box) => ({ box, label: `${box[0]!.toUpperCase()}${box.slice(1)} crop box (${Math.round(BOX_SHARE[box] * 100)}% of the short side)` })),
      series: WAYS.map((way) => ({ way, label: WAY_LABELS[way], color: WAY_COLORS[way], dashed: way === "naive" })),
      value: (category, box, way) => {
        const samples = results.timing.crop[`${category}/${box}`]?.[way];
        return samples && samples.length ? { median: median(samples), p95: p95(samples) } : undefined;
      },
    }),
  );
  const report = renderReport(results);
  writeFileSync(path.join(RESULTS, `${NAME}.md`), report.markdown);
  return report.summary;
}

async function main() {
  if (args.includes("--render")) {
    const results = JSON.parse(readFileSync(path.join(RESULTS, `${NAME}.json`), "utf8")) as Results;
    log(writeOutputs(results));
    log(`\nrewrote bench/results/${NAME}.md and ${NAME}.svg from ${NAME}.json`);
    return;
  }
  const started = new Date();
  log(`avatar-relay benchmark (${settings.mode}: ${settings.iterations} timed iterations after ${settings.warmup} warm-up)`);
  noteLoad("start");
  const machine = machineFacts();
  const ways = existsSync(CONVERT) ? chosenWays : chosenWays.filter((way) => way !== "imagemagick" && way !== "imagemagick1");
  if (ways.length < chosenWays.length) log(`${CONVERT} is missing (apt-get install imagemagick): the ImageMagick way is skipped`);

  log("inputs (generated once, cached in bench/tmp/inputs)");
  const bench = await startBenchS3();
  Object.assign(process.env, appEnvironment(bench.s3.endpoint));
  const results: Results = {
    mode: settings.mode,
    startedAt: started.toISOString(),
    finishedAt: "",
    settings,
    machine,
    loads,
    inputs: [],
    timing: { crop: {}, finish: {} },
    pixelCheck: {},
    rss: [],
    concurrency: [],
    bound: [],
  };
  try {
    await ensureBucket();
    if (settings.server) {
      const userId = benchUser("timed");
      const prepared: PreparedInput[] = [];
      for (const spec of chosenInputs) {
        const input = await prepareInput(spec, userId);
        prepared.push(input);
        results.inputs.push({ ...spec, bytes: input.bytes.length, previewBytes: input.preview.length, boxes: { small: cropBox(spec, "small"), large: cropBox(spec, "large") } });
        log(`  ${spec.label}: ${(input.bytes.length / 1e6).toFixed(2)} MB (${(input.bytes.length / (spec.width * spec.height)).toFixed(2)} bytes/pixel)`);
      }

      // The fast path's output against the full-resolution decode's, per case (same pixels?).
      for (const input of prepared)
        for (const box of BOXES) {
          const crop = cropBox(input.spec, box);
          results.pixelCheck[`${input.spec.id}/${box}`] = await meanDifference(await floorWay(input.bytes, crop), await naiveWay(input.bytes, crop), PIXEL_CHECK_SIDE);
        }

      log(`timed: ${ways.map((way) => WAY_LABELS[way]).join(", ")}; every case, ways interleaved`);
      noteLoad("timed runs begin");
      const context = newContext(userId);
      try {
        results.timing = await runTimed(context, prepared, { iterations: settings.iterations, warmup: settings.warmup, ways, s3Pid: bench.s3.pid, log });
        const costInput = prepared.find((input) => input.spec.id === REQUEST_COSTS_INPUT);
        if (costInput) {
          log(`S3 calls one at a time (${costInput.spec.label}): the CPU each costs this process`);
          results.requestCosts = await measureRequestCosts(context, costInput, { repetitions: settings.iterations, maxBytes: getEnv().UPLOAD_MAX_BYTES });
        }
      } finally {
        disposeContext(context);
      }
      noteLoad("timed runs end");
      for (const [key, byWay] of Object.entries(results.timing.crop)) {
        const timedWays = ways.filter((way) => byWay[way]);
        log(`  ${key.padEnd(16)} ${timedWays.map((way) => `${way} ${median(byWay[way]).toFixed(0)}/${p95(byWay[way]).toFixed(0)}`).join("  ")} ms`);
      }

      if (settings.probes) {
        // The probes read the S3 server's CPU time from /proc: the app and S3 share these cores.
        const env = { ...process.env, BENCH_S3_PID: String(bench.s3.pid) };
        log("peak RSS per way (large box, a fresh process each)");
        for (const inputId of settings.rssInputs)
          for (const way of ways.filter((candidate) => wayRunsOn(candidate, inputId))) {
            const result = await probe<RssResult>(env, ["rss", way, inputId, "large", String(settings.rssRepeats)]);
            results.rss.push(result);
            log(`  ${inputId} ${way}: peak ${(result.peakRss / 2 ** 20).toFixed(0)} MiB`);
          }
        noteLoad("peak RSS runs end");
        log("one instance under concurrent crops (24 MP JPEG, large box, crop + save through the job limiter)");
        // Rounds with the levels in a rotated order, like the timed runs: noise hits every level alike.
        for (let round = 0; round < settings.concurrencyRounds; round++)
          for (const workers of rotate(settings.concurrencyLevels, round)) {
            const operations = Math.max(settings.concurrencyOperations, 2 * workers);
            const result = await probe<ConcurrencyResult>(env, ["concurrency", String(workers), "jpeg-24mp", String(operations)]);
            results.concurrency.push({ ...result, round });
            log(`  round ${round + 1}, ${workers} at once: ${result.perSecond.toFixed(2)}/s, peak RSS ${(result.peakRss / 2 ** 20).toFixed(0)} MiB, 429s: ${result.rejected429}`);
          }
        log("memory bound with 48 MP JPEGs");
        for (const run of settings.boundRuns) {
          const result = await probe<ConcurrencyResult>(env, ["concurrency", String(run.workers), "jpeg-48mp", String(run.operations)]);
          results.bound.push(result);
          log(`  ${run.workers} at once: peak RSS ${(result.peakRss / 2 ** 20).toFixed(0)} MiB, 429s: ${result.rejected429}, ${result.perSecond.toFixed(2)}/s`);
        }
        noteLoad("concurrency runs end");
      }
    }

    if (settings.web) {
      log("browser side: production build, next start behind byte-counting proxies, Chromium");
      try {
        const { measureWeb } = await import("./web");
        results.web = await measureWeb({ s3Endpoint: bench.s3.endpoint, log, preview24: INPUTS.find((input) => input.id === "jpeg-24mp")! });
      } catch (error) {
        results.webError = error instanceof Error ? error.message : String(error);
        log(`  FAILED: ${results.webError}`);
      }
      noteLoad("browser measurements end");
    }

    if (settings.network) {
      log(`network: Chromium with network emulation (${NETWORK.uplinksMbit.join(" and ")} Mbit/s up, ${NETWORK.downloadMbit} Mbit/s down, ${NETWORK.latencyMs} ms), the wizard on a production build`);
      try {
        const { measureNetwork } = await import("./web/network");
        results.network = await measureNetwork({
          s3Endpoint: bench.s3.endpoint,
          log,
          variants: settings.networkVariants,
          repetitions: settings.networkRepetitions,
          inputs: settings.networkInputs,
        });
      } catch (error) {
        results.networkError = error instanceof Error ? error.message : String(error);
        log(`  FAILED: ${results.networkError}`);
      }
      noteLoad("network measurements end");
    }
  } finally {
    await bench.close();
  }

  noteLoad("end");
  results.finishedAt = new Date().toISOString();
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, `${NAME}.json`), `${JSON.stringify(results, null, 1)}\n`);
  const summary = writeOutputs(results);
  log("");
  log(summary);
  log(`\nwrote ${path.relative(process.cwd(), path.join(RESULTS, `${NAME}.md`))}, ${NAME}.json and ${NAME}.svg`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
