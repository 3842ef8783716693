/**
 * One instance of the production server: `node server.js` from a staged standalone artifact, with
 * its own port and INSTANCE_ID, as a container runs it. Used by the cluster and the sign-in tiers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { createInterface } from "node:readline";

import { waitForHealthy } from "./http";
import { waitForPortFree } from "./ports";
import { isRunning, track } from "./processes";

export type InstanceSpec = { id: string; port: number };

/**
 * How an instance's process starts: by default `node server.js` in a staged artifact directory; a
 * launcher starts it otherwise (container/runc.ts: a container of the built image) and, when the
 * process it spawns is not the server itself, delivers signals to the server.
 */
export type Launcher = {
  command(spec: InstanceSpec, env: Record<string, string>): { command: string; args: string[]; cwd?: string; env: Record<string, string> };
  signal?(spec: InstanceSpec, signal: NodeJS.Signals): void;
  /** What stop() sends first (an image's STOPSIGNAL); SIGTERM otherwise. */
  stopSignal?: NodeJS.Signals;
};

function nodeLauncher(artifactDir: string): Launcher {
  return {
    command: (spec, env) => ({
      command: process.execPath,
      args: ["server.js"],
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
    }),
  };
}

export type LogSink = { kind: "inherit" } | { kind: "file"; path: string };

export class Instance {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private log?: WriteStream;

  private readonly launcher: Launcher;

  /** `runtime`: the staged artifact directory (`node server.js` there), or a launcher. */
  constructor(
    readonly spec: InstanceSpec,
    runtime: string | Launcher,
    env: Record<string, string>,
    sink: LogSink,
  ) {
    this.url = `http://127.0.0.1:${spec.port}`;
    this.launcher = typeof runtime === "string" ? nodeLauncher(runtime) : runtime;
    const launch = this.launcher.command(spec, env);
    this.child = track(
      spawn(launch.command, launch.args, {
        cwd: launch.cwd,
        // Exactly this environment (the declared NODE_ENV of ProcessEnv is the launcher's business).
        env: launch.env as NodeJS.ProcessEnv,
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
    return isRunning(this.child);
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.running) return;
    if (this.launcher.signal) this.launcher.signal(this.spec, signal);
    else this.child.kill(signal);
  }

  /** SIGTERM or the launcher's stop signal (the instance drains), SIGKILL after graceMs. */
  async stop(graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal(this.launcher.stopSignal ?? "SIGTERM");
    const timer = setTimeout(() => this.signal("SIGKILL"), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/** Starts an instance and waits until its health check answers 200. */
export async function startInstance(options: {
  spec: InstanceSpec;
  runtime: string | Launcher;
  env: Record<string, string>;
  sink: LogSink;
  timeoutMs?: number;
}): Promise<Instance> {
  await waitForPortFree(options.spec.port);
  const instance = new Instance(options.spec, options.runtime, options.env, options.sink);
  try {
    await waitForHealthy(instance, options.timeoutMs);
  } catch (error) {
    instance.signal("SIGKILL");
    throw error;
  }
  return instance;
}
