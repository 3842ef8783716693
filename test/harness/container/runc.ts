/**
 * Containers of a built image, started with runc from an OCI runtime spec written here, as a
 * deployment runs them: the image's USER, WORKDIR, ENV and CMD, a read-only root filesystem, the
 * image's STOPSIGNAL. Not `podman run`: this sandbox refuses its setrlimit of RLIMIT_NPROC/NOFILE,
 * so the spec here has no process.rlimits (the container inherits runc's). No network namespace:
 * the containers listen on loopback ports of this machine, as the node processes of the cluster do.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";

import type { InstanceSpec, Launcher } from "../../../tools/instance";

import { podman } from "./base-image";

export type RunnableImage = {
  ref: string;
  /** The image's root tree (podman image mount), shared read-only by its containers. */
  rootfs: string;
  uid: number;
  gid: number;
  user: string;
  env: string[];
  /** ENTRYPOINT + CMD. */
  args: string[];
  cwd: string;
  stopSignal: string;
  /** HEALTHCHECK's command as argv (CMD form, or CMD-SHELL through /bin/sh -c). */
  healthcheck?: string[];
};

type Inspected = {
  Config: { User?: string; Env?: string[]; Cmd?: string[]; Entrypoint?: string[]; WorkingDir?: string; StopSignal?: string };
  HealthCheck?: { Test?: string[] };
  Healthcheck?: { Test?: string[] };
};

/** Resolves USER (name or uid[:gid]) against the image's own /etc/passwd, as a container runtime does. */
export function resolveUser(rootfs: string, user: string): { uid: number; gid: number } {
  const [name = "", group] = user.split(":");
  if (!name) return { uid: 0, gid: 0 };
  const entry = readFileSync(path.join(rootfs, "etc/passwd"), "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .find((fields) => fields[0] === name || fields[2] === name);
  const uid = entry ? Number(entry[2]) : Number(name);
  if (!Number.isInteger(uid)) throw new Error(`image user ${user}: not in the image's /etc/passwd`);
  const gid = group !== undefined ? Number(group) : entry ? Number(entry[3]) : uid;
  return { uid, gid };
}

export function loadImage(ref: string): RunnableImage {
  const [inspected] = JSON.parse(podman(["image", "inspect", ref])) as Inspected[];
  if (!inspected) throw new Error(`podman image inspect ${ref}: nothing`);
  const rootfs = podman(["image", "mount", ref]).trim();
  const config = inspected.Config;
  const test = (inspected.HealthCheck ?? inspected.Healthcheck)?.Test;
  const healthcheck = test?.[0] === "CMD" ? test.slice(1) : test?.[0] === "CMD-SHELL" ? ["/bin/sh", "-c", test[1] ?? ""] : undefined;
  return {
    ref,
    rootfs,
    user: config.User ?? "",
    ...resolveUser(rootfs, config.User ?? ""),
    env: config.Env ?? [],
    args: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
    cwd: config.WorkingDir || "/",
    stopSignal: config.StopSignal || "SIGTERM",
    healthcheck,
  };
}

/** Undoes loadImage's mount (podman counts them; a mounted image cannot be removed or pruned). */
export function releaseImage(image: RunnableImage): void {
  spawnSync("podman", ["image", "unmount", image.ref], { stdio: "ignore" });
}

/** The OCI runtime spec of one container (runc spec's defaults, trimmed as the header says). */
export function runtimeSpec(image: RunnableImage, hostname: string, env: Record<string, string>, options: { readOnly: boolean; args?: string[]; tmp?: boolean }) {
  const merged = new Map(image.env.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)] as const));
  for (const [key, value] of Object.entries(env)) merged.set(key, value);
  const masked = ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"];
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: image.uid, gid: image.gid },
      args: options.args ?? image.args,
      env: [...merged].map(([key, value]) => `${key}=${value}`),
      cwd: image.cwd,
      capabilities: Object.fromEntries(["bounding", "effective", "permitted"].map((set) => [set, ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]])),
      noNewPrivileges: true,
    },
    root: { path: image.rootfs, readonly: options.readOnly },
    hostname,
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
      { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
      { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
      ...(options.tmp ? [{ destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "mode=1777", "size=262144k"] }] : []),
    ],
    linux: {
      // No network namespace: loopback ports of this machine.
      namespaces: [{ type: "pid" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }],
      maskedPaths: masked,
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}

const started = new Set<string>();
process.once("exit", () => {
  // The harness kills a runc it started when it exits (processes.ts); the container would outlive it.
  for (const id of started) spawnSync("runc", ["delete", "--force", id], { stdio: "ignore" });
});

function runc(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("runc", args, { encoding: "utf8" });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/**
 * Starts instances as containers of `image`: each as the image's USER with a read-only root, only
 * the image's CMD, and the deployment's environment (PORT, INSTANCE_ID, HOSTNAME=127.0.0.1 on top
 * of the cluster's). Signals go through `runc kill`, so SIGKILL reaches the server, not runc.
 */
export class RuncLauncher implements Launcher {
  private readonly bundles = mkdtempSync(path.join(tmpdir(), "avatar-relay-runc-"));
  /** The image's STOPSIGNAL: what `docker stop` and a rolling update send. */
  readonly stopSignal: NodeJS.Signals;

  constructor(
    readonly image: RunnableImage,
    private readonly prefix = `avatar-relay-${process.pid}`,
  ) {
    const signal = image.stopSignal.startsWith("SIG") ? image.stopSignal : `SIG${image.stopSignal}`;
    if (!(signal in os.constants.signals)) throw new Error(`${image.ref}: STOPSIGNAL ${image.stopSignal} is not a signal name`);
    this.stopSignal = signal as NodeJS.Signals;
  }

  containerId(spec: InstanceSpec): string {
    return `${this.prefix}-${spec.id}`;
  }

  command(spec: InstanceSpec, env: Record<string, string>) {
    const id = this.containerId(spec);
    const bundle = path.join(this.bundles, spec.id);
    mkdirSync(bundle, { recursive: true });
    const deployment = { ...env, HOSTNAME: "127.0.0.1", PORT: String(spec.port), INSTANCE_ID: spec.id };
    writeFileSync(path.join(bundle, "config.json"), JSON.stringify(runtimeSpec(this.image, spec.id, deployment, { readOnly: true }), null, 1));
    runc(["delete", "--force", id]);
    started.add(id);
    return { command: "runc", args: ["run", "--bundle", bundle, id], env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" } };
  }

  signal(spec: InstanceSpec, signal: NodeJS.Signals): void {
    runc(["kill", this.containerId(spec), signal]);
  }

  /** Runs the image's HEALTHCHECK command inside the running container (as `docker` does: the container's user, env, cwd). */
  healthcheck(spec: InstanceSpec): { status: number | null; output: string } {
    if (!this.image.healthcheck) throw new Error(`${this.image.ref} has no HEALTHCHECK (built as an OCI image? HEALTHCHECK needs --format docker)`);
    return this.exec(spec, this.image.healthcheck);
  }

  exec(spec: InstanceSpec, args: string[]): { status: number | null; output: string } {
    const result = runc(["exec", this.containerId(spec), ...args]);
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  dispose(): void {
    rmSync(this.bundles, { recursive: true, force: true });
    releaseImage(this.image);
  }
}

/** Runs a one-shot container of `image` to completion (the setup target): its CMD unless `args`. */
export function runOnce(image: RunnableImage, name: string, env: Record<string, string>, args?: string[]): { status: number | null; output: string } {
  const bundle = mkdtempSync(path.join(tmpdir(), "avatar-relay-runc-once-"));
  const id = `avatar-relay-${process.pid}-${name}`;
  try {
    // Read-only too (the root is the image's own storage), with a /tmp: tsx keeps its compile cache there.
    writeFileSync(path.join(bundle, "config.json"), JSON.stringify(runtimeSpec(image, name, env, { readOnly: true, args, tmp: true })));
    const result = spawnSync("runc", ["run", "--bundle", bundle, id], { encoding: "utf8" });
    return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
  } finally {
    runc(["delete", "--force", id]);
    rmSync(bundle, { recursive: true, force: true });
  }
}
