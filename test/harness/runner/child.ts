/**
 * Runs the test tiers' child processes so that Ctrl-C (or CI's SIGTERM) stops them and whatever the
 * runner started (Ceph RGW), and the run is reported as interrupted, never as passed.
 *
 * Each child gets its own process group: SIGTERM to Playwright alone would leave its `next start`
 * running, so a signal goes to the whole group. A second signal kills everything and exits at once.
 */
import { spawn, type ChildProcess } from "node:child_process";

import { ROOT } from "../../../tools/paths";

let current: ChildProcess | undefined;
let interruptedBy: NodeJS.Signals | undefined;
const cleanups = new Set<() => void>();
let installed = false;

/** The signal that interrupted this run, if any. */
export const interrupted = (): NodeJS.Signals | undefined => interruptedBy;

function signalChild(signal: NodeJS.Signals): void {
  if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return;
  try {
    process.kill(-current.pid, signal);
  } catch {
    current.kill(signal);
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

/** Runs a child in the project folder in its own process group; stdout inherited, or captured with `capture`. */
export function runChild(command: string, args: string[], options: { env?: Record<string, string | undefined>; capture?: boolean } = {}): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ["ignore", options.capture ? "pipe" : "inherit", "inherit"],
      env: (options.env ?? process.env) as NodeJS.ProcessEnv,
      detached: true,
    });
    current = child;
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.on("error", () => resolve({ code: 127, stdout }));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}
