/**
 * N instances of the standalone server behind one nginx: what `npm run cluster` runs and what the
 * cluster e2e tests drive (kill, restart, rolling restart).
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { getText, waitForHealthy } from "./http";
import { Instance, startInstance, type InstanceSpec, type Launcher, type LogSink } from "./instance";
import { startNginx, type LoadBalancer } from "./nginx";

export type ClusterOptions = {
  /** The staged standalone artifact (each instance runs `node server.js` there), or a launcher (containers). */
  runtime: string | Launcher;
  /** The load balancer's port; instances listen on the ports after it. */
  port: number;
  instances: number;
  /** Shared by every instance (S3 settings, AUTH_SECRET, NEXTAUTH_URL = the load balancer's URL, ...). */
  env: Record<string, string>;
  /** Where the instances' and nginx's log lines go: the terminal, or files in this directory. */
  logDir?: string;
  idPrefix?: string;
  /** nginx terminates TLS with this certificate (the cluster's URL is then https). */
  tls?: { certificate: string; key: string };
};

export class Cluster {
  readonly specs: InstanceSpec[];
  private readonly running = new Map<string, Instance>();
  private lb?: LoadBalancer;
  /** The test certificate nginx serves, trusted by the cluster's own health checks through it. */
  private readonly ca?: Buffer;

  constructor(readonly options: ClusterOptions) {
    const prefix = options.idPrefix ?? "cluster-";
    this.ca = options.tls ? readFileSync(options.tls.certificate) : undefined;
    this.specs = Array.from({ length: options.instances }, (_, i) => ({ id: `${prefix}${i + 1}`, port: options.port + i + 1 }));
  }

  get url(): string {
    return `${this.options.tls ? "https" : "http"}://127.0.0.1:${this.options.port}`;
  }

  get accessLog(): string | undefined {
    return this.lb?.accessLog;
  }

  logFile(id: string): string | undefined {
    return this.options.logDir ? path.join(this.options.logDir, `${id}.log`) : undefined;
  }

  private sink(id: string): LogSink {
    const file = this.logFile(id);
    return file ? { kind: "file", path: file } : { kind: "inherit" };
  }

  spec(id: string): InstanceSpec {
    const spec = this.specs.find((s) => s.id === id);
    if (!spec) throw new Error(`no instance ${id} (instances: ${this.specs.map((s) => s.id).join(", ")})`);
    return spec;
  }

  instance(id: string): Instance | undefined {
    const instance = this.running.get(id);
    return instance?.running ? instance : undefined;
  }

  instances(): Instance[] {
    return this.specs.flatMap((s) => this.instance(s.id) ?? []);
  }

  async start(): Promise<void> {
    await Promise.all(this.specs.map((spec) => this.startOne(spec.id)));
    this.lb = await startNginx({
      port: this.options.port,
      upstreams: this.specs.map((s) => ({ port: s.port })),
      accessLog: this.options.logDir ? path.join(this.options.logDir, "nginx-access.log") : "stdout",
      errorLog: this.options.logDir ? path.join(this.options.logDir, "nginx-error.log") : "stderr",
      tls: this.options.tls,
    });
    await this.waitUntilBalanced();
  }

  /** Waits until health checks through nginx have reached every running instance. */
  async waitUntilBalanced(timeoutMs = 20_000): Promise<void> {
    const want = this.instances().map((i) => i.spec.id);
    const seen = new Set<string>();
    const deadline = Date.now() + timeoutMs;
    while (want.some((id) => !seen.has(id))) {
      if (Date.now() > deadline) throw new Error(`nginx did not reach ${want.filter((id) => !seen.has(id)).join(", ")} within ${timeoutMs} ms`);
      try {
        const response = await getText(`${this.url}/api/health`, { ca: this.ca, timeoutMs: 5_000 });
        if (response.status === 200) seen.add((JSON.parse(response.body) as { instance: string }).instance);
      } catch {
        // nginx not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Every instance running and answering its health check, nginx running and reaching each of
   * them; otherwise an error that says which part is not. Tests start from here.
   */
  async assertHealthy(): Promise<void> {
    if (!this.lb) throw new Error("cluster: nginx was never started (Cluster.start() not called or failed)");
    if (this.lb.child.exitCode !== null || this.lb.child.signalCode !== null) {
      throw new Error(`cluster: nginx is not running (exit ${this.lb.child.exitCode ?? this.lb.child.signalCode}); see ${this.options.logDir ?? "the terminal"} for its error log`);
    }
    const down = this.specs.filter((s) => !this.instance(s.id)).map((s) => s.id);
    if (down.length) throw new Error(`cluster: instances not running: ${down.join(", ")}`);
    await Promise.all(this.instances().map((instance) => waitForHealthy(instance, 10_000)));
    await this.waitUntilBalanced(10_000);
  }

  async startOne(id: string): Promise<Instance> {
    const existing = this.instance(id);
    if (existing) return existing;
    const instance = await startInstance({ spec: this.spec(id), runtime: this.options.runtime, env: this.options.env, sink: this.sink(id) });
    this.running.set(id, instance);
    return instance;
  }

  /** An instance outside the load balancer (not started, not waited for), as the cluster's own run: same runtime and env, plus `env`. */
  outsider(spec: InstanceSpec, env: Record<string, string>): Instance {
    return new Instance(spec, this.options.runtime, { ...this.options.env, ...env }, this.sink(spec.id));
  }

  /** SIGKILL: the instance dies on the spot, in-flight requests and all. */
  async kill(id: string): Promise<void> {
    const instance = this.instance(id);
    if (!instance) return;
    instance.signal("SIGKILL");
    await instance.exited;
  }

  /** SIGTERM, wait for the instance to drain and exit, start it again. */
  async restart(id: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const instance = this.instance(id);
    const result = instance ? await instance.stop() : { code: null, signal: null };
    await this.startOne(id);
    return result;
  }

  /** Starts every instance that is not running (after a kill), so tests do not depend on order. */
  async ensureAllRunning(): Promise<string[]> {
    const dead = this.specs.filter((s) => !this.instance(s.id)).map((s) => s.id);
    await Promise.all(dead.map((id) => this.startOne(id)));
    if (dead.length > 0 && this.lb) await this.waitUntilBalanced();
    return dead;
  }

  async stop(): Promise<void> {
    await this.lb?.stop();
    await Promise.all([...this.running.values()].map((instance) => instance.stop(15_000)));
    this.running.clear();
  }
}
