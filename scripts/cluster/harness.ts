/**
 * The pieces of `npm run cluster`, shared with the cluster e2e harness (e2e/cluster/): build once,
 * stage the standalone artifact (the exact tree a container image holds), start and stop
 * instances of `node server.js`. Node built-ins only (no app code), so Playwright can import it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, type WriteStream } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

/** Children started here; killed with the process if it dies without cleaning up. */
const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

export function hasBuild(): boolean {
  return existsSync(path.join(ROOT, ".next/BUILD_ID")) && existsSync(path.join(ROOT, ".next/standalone/server.js"));
}

/** `next build` (output: "standalone"), unless skip is set and a build exists. Returns whether it built. */
export function buildOnce(options: { skip: boolean; env?: NodeJS.ProcessEnv }): boolean {
  if (options.skip && hasBuild()) return false;
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...(options.env ?? process.env), NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status}`);
  if (!hasBuild()) throw new Error(".next/standalone/server.js is missing after the build: is output: \"standalone\" still in next.config.mjs?");
  return true;
}

/** The project's own `npm run s3:setup` (scripts/bucket.ts apply) with this app environment, as production runs it. */
export function applyBucketSetupWith(env: Record<string, string>): void {
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/bucket.ts", "apply"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", ...env },
  });
  if (result.status !== 0) throw new Error(`scripts/bucket.ts apply failed with exit code ${result.status}`);
}

/**
 * Copies the standalone output, then .next/static and public into it: what the Dockerfile's
 * runtime stage holds. A copy (not .next/standalone itself) so a rebuild in the working tree
 * while the cluster runs does not change the files under running instances.
 */
export function stageArtifact(target?: string): { dir: string; buildId: string } {
  const dir = target ?? mkdtempSync(path.join(tmpdir(), "avatar-relay-artifact-"));
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(ROOT, ".next/standalone"), dir, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(ROOT, ".next/static"), path.join(dir, ".next/static"), { recursive: true });
  if (existsSync(path.join(ROOT, "public"))) cpSync(path.join(ROOT, "public"), path.join(dir, "public"), { recursive: true });
  chmodSync(dir, 0o755);
  if (!existsSync(path.join(dir, "server.js"))) throw new Error(`${dir}/server.js is missing`);
  return { dir, buildId: readFileSync(path.join(dir, ".next/BUILD_ID"), "utf8").trim() };
}

/** The app's settings every instance shares (S3, auth, limits); each instance adds PORT and INSTANCE_ID. */
export const SHARED_KEYS = [
  /^S3_/,
  /^AUTH_/,
  /^NEXTAUTH_URL$/,
  /^CORS_ALLOWED_ORIGINS$/,
  /^UPLOAD/,
  /^IMAGE_/,
  /^LOG_LEVEL$/,
  /^SHUTDOWN_TIMEOUT_SECONDS$/,
];

export function sharedAppEnv(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && SHARED_KEYS.some((key) => key.test(entry[0]))),
  );
}

export type InstanceSpec = { id: string; port: number };

export type LogSink = { kind: "inherit" } | { kind: "file"; path: string };

export class Instance {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private log?: WriteStream;

  constructor(
    readonly spec: InstanceSpec,
    artifactDir: string,
    env: Record<string, string>,
    sink: LogSink,
  ) {
    this.url = `http://127.0.0.1:${spec.port}`;
    this.child = track(
      spawn(process.execPath, ["server.js"], {
        cwd: artifactDir,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          ...env,
          HOSTNAME: "127.0.0.1",
          PORT: String(spec.port),
          INSTANCE_ID: spec.id,
        },
        stdio: ["ignore", "pipe", "pipe"],
        // Its own process group: a Ctrl-C in the terminal reaches the cluster command only, which
        // then stops the instances in order (SIGTERM, drain) instead of all at once.
        detached: true,
      }),
    );
    this.exited = new Promise((resolve) => this.child.once("exit", (code, signal) => resolve({ code, signal })));
    if (sink.kind === "file") this.log = createWriteStream(sink.path, { flags: "a" });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => {
        if (this.log) this.log.write(`${line}\n`);
        // Whole lines, so the instances' JSON lines never interleave mid-line in the terminal.
        else process.stdout.write(`${line}\n`);
      });
    }
    void this.exited.then(() => this.log?.end());
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM (the instance drains), SIGKILL after graceMs. */
  async stop(graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal("SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

export async function waitForHealthy(instance: { url: string; running: boolean }, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!instance.running) throw new Error(`${instance.url} exited before it answered`);
    try {
      const response = await fetch(`${instance.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${instance.url}/api/health did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

/** Starts an instance and waits until its health check answers 200. */
export async function startInstance(options: {
  spec: InstanceSpec;
  artifactDir: string;
  env: Record<string, string>;
  sink: LogSink;
  timeoutMs?: number;
}): Promise<Instance> {
  await waitForPortFree(options.spec.port);
  const instance = new Instance(options.spec, options.artifactDir, options.env, options.sink);
  try {
    await waitForHealthy(instance, options.timeoutMs);
  } catch (error) {
    instance.signal("SIGKILL");
    throw error;
  }
  return instance;
}

/**
 * A GET that also speaks https with a test's own certificate authority (fetch cannot be given
 * one without undici's Agent): the status and the body as text.
 */
export function getText(url: string, options: { ca?: Buffer; timeoutMs?: number } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === "https:" ? https : http).get(
      target,
      { ...(options.ca ? { ca: options.ca } : {}), timeout: options.timeoutMs ?? 5_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`GET ${url}: no answer within ${options.timeoutMs ?? 5_000} ms`)));
    request.on("error", reject);
  });
}

export function portIsOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPortFree(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await portIsOpen(port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} is in use by another program`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until `child` listens on `port`; fails at once if it exits first, naming it as `what`. */
export async function waitUntilListening(child: ChildProcess, port: number, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (child.exitCode !== null || !(await portIsOpen(port))) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before listening on ${port} (is the port in use?)`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A loopback port nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
