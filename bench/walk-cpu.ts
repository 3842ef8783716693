/**
 * `npm run bench:walk -- --before <checkout>`: the app's CPU per whole wizard walk (finish + crop +
 * save, the server side of one avatar) of this checkout beside another (the "before", built in its
 * own folder), in the same run on the same machine: two clusters of three production instances
 * behind nginx, one S3, walks alternated between them in rotated order so a busy moment slows both
 * alike. CPU is each instance's utime + stime from /proc, read around every step of a walk (one
 * walk at a time, so a step's CPU is its own). Then, unless --throughput 0, eight users walk each
 * cluster in turn for the given seconds: walks per minute. Writes bench/results/walk-cpu.md/.json.
 *
 *   npm run bench:walk -- --before /tmp/before [--walks 40] [--throughput 60] [--port 3400] [--skip-build] [--no-write]
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import sharp from "sharp";

import type { StartedUpload } from "@/lib/avatars/api-types";
import { type Transport } from "@/lib/client/api";
import { wizardApiOver, type WizardApi } from "@/lib/client/wizard-api";
import { embeddedS3AppEnv, testAppEnv } from "@/tools/app-env";
import { applyBucketSetupWith } from "@/tools/bucket/apply-setup";
import { buildOnce, stageArtifact } from "@/tools/build";
import { Cluster } from "@/tools/cluster";
import { startThrowawayS3 } from "@/tools/embedded-s3";
import { photoLike } from "@/test/harness/images";
import { sendToS3 } from "@/test/harness/s3-post";
import { handleSignals, interrupted } from "@/test/harness/runner/child";

import { processCpuMs } from "./cpu";
import { machineFacts } from "./machine";
import { Client } from "./web/client";

const RESULTS = path.join(path.dirname(new URL(import.meta.url).pathname), "results");
const STEPS = ["finish", "crop", "save"] as const;
type Step = (typeof STEPS)[number];
type Variant = "before" | "after";
type Input = { name: string; bytes: Buffer; width: number; height: number };

function options() {
  const { values } = parseArgs({
    options: {
      before: { type: "string" },
      walks: { type: "string" },
      throughput: { type: "string" },
      port: { type: "string" },
      "skip-build": { type: "boolean" },
      "no-write": { type: "boolean" },
    },
  });
  const isArtifact = Boolean(values.before && existsSync(path.join(values.before, "server.js")));
  if (!values.before || (!isArtifact && !existsSync(path.join(values.before, ".next/standalone/server.js")))) {
    throw new Error("--before must name a checkout with a production build (git worktree add /tmp/before <commit>; npm ci; npx next build there), or the standalone artifact staged from one");
  }
  const port = Number(values.port ?? process.env.E2E_CLUSTER_PORT ?? 3400);
  return { before: values.before, isArtifact, walks: Number(values.walks ?? 40), throughputSeconds: Number(values.throughput ?? 60), port, skipBuild: Boolean(values["skip-build"]), write: !values["no-write"] };
}

/** The standalone artifact of another checkout's build, staged like stageArtifact does for this one. */
function stageFrom(root: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "avatar-relay-before-"));
  cpSync(path.join(root, ".next/standalone"), dir, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(root, ".next/static"), path.join(dir, ".next/static"), { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}

function copyArtifact(dir: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), "avatar-relay-before-"));
  cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

/** The commit a checkout is at, or the one an artifact's COMMIT file names. */
function commitOf(dir: string): string {
  const file = path.join(dir, "COMMIT");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  return execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
}

/** The two pictures of the issue: a 1.9 MP photo of about 1.1 MB, and a 24 MP photo as the browser's shrink sends it. */
async function inputs(): Promise<Input[]> {
  const photo = await sharp(await photoLike(1700, 1130, 3)).jpeg({ quality: 96 }).toBuffer();
  // The browser's copy: short side 1536 with a Lanczos-3 filter, JPEG 0.97 (lib/client/shrink-plan.ts).
  const shrunk = await sharp(await photoLike(6000, 4000, 5)).resize(2304, 1536, { kernel: "lanczos3" }).jpeg({ quality: 97 }).toBuffer();
  return [
    { name: "photo 1.9 MP", bytes: photo, width: 1700, height: 1130 },
    { name: "24 MP shrunk in the browser", bytes: shrunk, width: 2304, height: 1536 },
  ];
}

/** One checkout's cluster, walked by one signed-in client. */
class Side {
  readonly api: WizardApi;
  constructor(
    readonly variant: Variant,
    readonly cluster: Cluster,
    readonly client = new Client(cluster.url),
  ) {
    const transport: Transport = (p, init) => client.send(p, init);
    this.api = wizardApiOver(transport);
  }
  cpuMs(): number {
    return this.cluster.instances().reduce((sum, i) => sum + (processCpuMs(i.pid) ?? 0), 0);
  }
}

type WalkSample = { variant: Variant; input: string; cpu: Record<Step, number> };

/** One walk as the browser's early crop step does it; the CPU of each step of the app's three instances. */
async function walk(side: Side, input: Input): Promise<Record<Step, number>> {
  const started: StartedUpload = await side.api.startUpload({ contentType: "image/jpeg", size: input.bytes.length });
  const s3 = await sendToS3(started.upload, input.bytes, "image/jpeg");
  await s3.arrayBuffer();
  if (s3.status >= 300) throw new Error(`S3 refused the upload (${s3.status})`);
  const cpu = {} as Record<Step, number>;
  const measure = async <T>(step: Step, run: () => Promise<T>): Promise<T> => {
    const before = side.cpuMs();
    const value = await run();
    cpu[step] = side.cpuMs() - before;
    return value;
  };
  const ready = await measure("finish", () => side.api.finishUpload(started.uploadId, { previewInBrowser: true }));
  const edge = Math.min(ready.displayed.width, ready.displayed.height) - 10;
  const crop = await measure("crop", () => side.api.crop(started.uploadId, { left: 5, top: 5, width: edge, height: edge, rotation: 0 }));
  await measure("save", async () => {
    await side.api.save(started.uploadId, crop.cropId);
    // The cleanup runs after the answer: wait for it so it is counted here, not in the next walk.
    await new Promise((resolve) => setTimeout(resolve, 150));
  });
  return cpu;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** `users` walkers on one side for `seconds`: whole walks finished. */
async function throughput(side: Side, input: Input, users: number, seconds: number): Promise<{ walks: number; errors: number }> {
  const deadline = Date.now() + seconds * 1000;
  let walks = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: users }, async (_, i) => {
      const user = new Side(side.variant, side.cluster);
      await user.client.signIn(`tp-${side.variant}-${i}-${Date.now()}`);
      while (Date.now() < deadline && !interrupted()) {
        try {
          await walk(user, input);
          if (Date.now() <= deadline) walks++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { walks, errors };
}

function chromiumVersion(): string {
  for (const bin of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    try {
      if (existsSync(bin)) return execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
    } catch {
      // next candidate
    }
  }
  return "not installed";
}

async function main() {
  handleSignals("bench:walk");
  const opts = options();
  console.log(buildOnce({ skip: opts.skipBuild }) ? "built .next" : "reusing the build in .next");
  const after = stageArtifact();
  // An artifact is used in place (a copy of it); a checkout's build is staged like this one's.
  const beforeDir = opts.isArtifact ? copyArtifact(opts.before) : stageFrom(opts.before);
  const beforeCommit = commitOf(opts.before);
  const afterCommit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  const s3 = await startThrowawayS3({ tag: "walk-cpu", port: process.env.E2E_CLUSTER_S3_PORT ? Number(process.env.E2E_CLUSTER_S3_PORT) : undefined });
  const logDir = mkdtempSync(path.join(tmpdir(), "avatar-relay-walk-cpu-logs-"));
  const sides: Side[] = [];
  try {
    for (const [variant, runtime, port] of [
      ["after", after.dir, opts.port],
      ["before", beforeDir, opts.port + 10],
    ] as const) {
      const url = `http://127.0.0.1:${port}`;
      const env = {
        ...testAppEnv({ url, secrets: { AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_USER_ID_KEY: randomBytes(32).toString("base64") }, devLogin: true, s3: embeddedS3AppEnv(s3.endpoint, `walk-${variant}`) }),
        UPLOADS_PER_HOUR: "1000",
        LOG_LEVEL: "warn",
      };
      applyBucketSetupWith(env);
      const cluster = new Cluster({ runtime, port, instances: 3, env, logDir, idPrefix: `${variant}-` });
      await cluster.start();
      const side = new Side(variant, cluster);
      await side.client.signIn(`walk-${variant}-${Date.now()}`);
      sides.push(side);
    }
    const pictures = await inputs();
    console.log(`clusters up (logs in ${logDir}); warming up`);
    for (const side of sides) for (const input of pictures) for (let i = 0; i < 3; i++) await walk(side, input);

    const samples: WalkSample[] = [];
    const batch = 5;
    for (let round = 0; round * batch < opts.walks && !interrupted(); round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) for (const input of pictures) for (let i = 0; i < batch; i++) samples.push({ variant: side.variant, input: input.name, cpu: await walk(side, input) });
      console.log(`round ${round + 1}: ${samples.length} walks`);
    }

    const load: { variant: Variant; seconds: number; walks: number; errors: number }[] = [];
    if (opts.throughputSeconds > 0) {
      const half = opts.throughputSeconds / 2;
      // Each side twice, in the order A B B A, so neither gets the machine's quieter half.
      for (const side of [sides[0]!, sides[1]!, sides[1]!, sides[0]!]) {
        const result = await throughput(side, pictures[0]!, 8, half);
        load.push({ variant: side.variant, seconds: half, ...result });
        console.log(`throughput ${side.variant}: ${result.walks} walks in ${half} s (${result.errors} errors)`);
      }
    }

    const machine = { ...machineFacts(), chromium: chromiumVersion(), lscpu: lscpu() };
    const results = { at: new Date().toISOString(), beforeCommit, afterCommit, machine, samples, load, loadAverage: readFileSync("/proc/loadavg", "utf8").trim() };
    const report = render(results, pictures);
    console.log(report);
    if (opts.write) {
      writeFileSync(path.join(RESULTS, "walk-cpu.json"), `${JSON.stringify(results, null, 1)}\n`);
      writeFileSync(path.join(RESULTS, "walk-cpu.md"), report);
    }
  } finally {
    for (const side of sides) await side.cluster.stop().catch(() => undefined);
    await s3.close();
    rmSync(after.dir, { recursive: true, force: true });
    rmSync(beforeDir, { recursive: true, force: true });
  }
}

function lscpu(): string {
  try {
    const text = execFileSync("lscpu", { encoding: "utf8" });
    return text
      .split("\n")
      .filter((line) => /^(Model name|CPU\(s\)|Thread\(s\) per core|Core\(s\) per socket|CPU max MHz):/.test(line))
      .map((line) => line.replace(/\s+/g, " ").trim())
      .join("; ");
  } catch {
    return "lscpu not available";
  }
}

type Results = { at: string; beforeCommit: string; afterCommit: string; machine: Record<string, unknown>; samples: WalkSample[]; load: { variant: Variant; seconds: number; walks: number; errors: number }[]; loadAverage: string };

export function render(results: Results, pictures: { name: string; bytes: Buffer }[]): string {
  const lines = [
    `# CPU per wizard walk: ${results.afterCommit} beside ${results.beforeCommit}`,
    "",
    `Run ${results.at} with \`npm run bench:walk\` (bench/walk-cpu.ts). Machine: ${String(results.machine.cpuModel)}, ${String(results.machine.cores)} cores (${String(results.machine.lscpu)}), Node ${String(results.machine.node)}, sharp ${String(results.machine.sharp)} / libvips ${String(results.machine.libvips)}, ${String(results.machine.chromium)}; load average at the end ${results.loadAverage}.`,
    "",
    "Each walk is one user's finish (as the early crop step sends it) + crop + save through nginx on three production instances; the CPU is the three instances' (utime + stime), S3's not counted. Both clusters ran at once and were walked in alternation: the ratio is the figure, not the milliseconds.",
    "",
    "| input | walks each | before, CPU per walk (mean; median) | after | after / before (target ≤ 0.5) | per step, mean CPU before → after |",
    "|---|---|---|---|---|---|",
  ];
  for (const picture of pictures) {
    const of = (variant: Variant) => results.samples.filter((s) => s.variant === variant && s.input === picture.name);
    const [b, a] = [of("before"), of("after")];
    const total = (s: WalkSample) => STEPS.reduce((sum, step) => sum + s.cpu[step], 0);
    const ratio = mean(a.map(total)) / mean(b.map(total));
    const steps = STEPS.map((step) => {
      const [before, after] = [mean(b.map((s) => s.cpu[step])), mean(a.map((s) => s.cpu[step]))];
      return `${step} ${before.toFixed(0)} → ${after.toFixed(0)} ms (${(after / before).toFixed(2)}×)`;
    }).join(", ");
    lines.push(
      `| ${picture.name} (${(picture.bytes.length / 1e6).toFixed(2)} MB) | ${a.length} | ${mean(b.map(total)).toFixed(0)} ms; ${median(b.map(total)).toFixed(0)} ms | ${mean(a.map(total)).toFixed(0)} ms; ${median(a.map(total)).toFixed(0)} ms | **${ratio.toFixed(2)}×** ${ratio <= 0.5 ? "met" : "missed"} | ${steps} |`,
    );
  }
  if (results.load.length) {
    const per = (variant: Variant) => {
      const runs = results.load.filter((l) => l.variant === variant);
      const walks = runs.reduce((s, l) => s + l.walks, 0);
      const seconds = runs.reduce((s, l) => s + l.seconds, 0);
      return { walks, seconds, perMinute: (walks * 60) / seconds, errors: runs.reduce((s, l) => s + l.errors, 0) };
    };
    const [b, a] = [per("before"), per("after")];
    lines.push(
      "",
      `**8 users walking at once** (the 1.9 MP photo, each cluster alone in turn, A B B A): before ${b.walks} walks in ${b.seconds} s (${b.perMinute.toFixed(0)}/min, ${b.errors} errors), after ${a.walks} walks in ${a.seconds} s (${a.perMinute.toFixed(0)}/min, ${a.errors} errors): **${(a.perMinute / b.perMinute).toFixed(2)}×** the walks per minute.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

await main();
