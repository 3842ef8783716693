/**
 * Runs the test tiers' child processes so that Ctrl-C (or CI's SIGTERM) stops them and whatever the
 * runner started (Ceph RGW), and the run is reported as interrupted, never as passed.
 *
 * Each child gets its own process group: SIGTERM to Playwright alone would leave its `next start`
 * running, so a signal goes to the whole group. A second signal kills everything and exits at once.
 * Several children may run at once (the runner's two lanes): a signal goes to each.
 */
import { spawn, type ChildProcess } from "node:child_process";

import { ROOT } from "../../../tools/paths";

const live = new Set<ChildProcess>();
let interruptedBy: NodeJS.Signals | undefined;
const cleanups = new Set<() => void>();
let installed = false;

/** The signal that interrupted this run, if any. */
export const interrupted = (): NodeJS.Signals | undefined => interruptedBy;

function signalChild(signal: NodeJS.Signals): void {
  for (const child of live) {
    if (!child.pid || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  }
}

function runCleanups(): void {
  for (const cleanup of [...cleanups]) cleanup();
}

/** Installs the signal handlers once; `label` prefixes the message. */
export function handleSignals(label: string): void {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (interruptedBy) {
        signalChild("SIGKILL");
        runCleanups();
        process.exit(128 + (signal === "SIGINT" ? 2 : 15));
      }
      interruptedBy = signal;
      console.error(`\n${label}: ${signal} received; stopping...`);
      signalChild(signal === "SIGHUP" ? "SIGTERM" : signal);
    });
  }
  // Any other way out (process.exit, an uncaught error): cleanups are synchronous, so they run here too.
  process.on("exit", () => {
    signalChild("SIGTERM");
    runCleanups();
  });
}

/** Registers a synchronous cleanup run on a second signal or at exit; returns its removal. */
export function onExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Where a child's output goes: the runner's own stdout and stderr, or one sink for both (a side lane's buffer). */
export type Output = ((text: string) => void) | undefined;

/**
 * Runs a child in the project folder in its own process group. Its output goes to the runner's own
 * (or to `output`); with `capture`, stdout is kept and returned instead.
 */
export function runChild(command: string, args: string[], options: { env?: Record<string, string | undefined>; capture?: boolean; output?: Output } = {}): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const { output } = options;
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ["ignore", options.capture || output ? "pipe" : "inherit", output ? "pipe" : "inherit"],
      env: (options.env ?? process.env) as NodeJS.ProcessEnv,
      detached: true,
    });
    live.add(child);
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      if (options.capture) stdout += chunk.toString("utf8");
      else output?.(chunk.toString("utf8"));
    });
    child.stderr?.on("data", (chunk: Buffer) => output?.(chunk.toString("utf8")));
    child.on("error", () => {
      live.delete(child);
      resolve({ code: 127, stdout });
    });
    child.on("close", (code, signal) => {
      live.delete(child);
      resolve({ code: code ?? (signal ? 128 : 1), stdout });
    });
  });
}
