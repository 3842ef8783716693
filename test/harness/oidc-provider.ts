import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

import { ROOT } from "../../tools/paths";
import { waitUntilListening } from "../../tools/ports";
import { isRunning, track } from "../../tools/processes";

/** Starts and stops the test OpenID provider (oidc-provider-server.ts) as its own process. */
export type OidcProviderOptions = { port: number; clientId: string; clientSecret: string; redirectUris: string[] };

export class OidcProvider {
  private child?: ChildProcess;
  readonly issuer: string;

  constructor(readonly options: OidcProviderOptions) {
    this.issuer = `http://127.0.0.1:${options.port}`;
  }

  get running(): boolean {
    return Boolean(this.child && isRunning(this.child));
  }

  async start(): Promise<void> {
    if (this.running) return;
    const child = track(
      spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "test/harness/oidc-provider-server.ts")], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          NODE_ENV: "development",
          OIDC_PORT: String(this.options.port),
          OIDC_CLIENT_ID: this.options.clientId,
          OIDC_CLIENT_SECRET: this.options.clientSecret,
          OIDC_REDIRECT_URIS: this.options.redirectUris.join(","),
        },
        stdio: ["ignore", "ignore", "pipe"],
      }),
    );
    this.child = child;
    // Its start-up warnings about the development adapter and interactions are expected here.
    createInterface({ input: child.stderr! }).on("line", (line) => {
      if (!line.startsWith("oidc-provider WARNING")) process.stderr.write(`oidc-provider: ${line}\n`);
    });
    await waitUntilListening(child, this.options.port, "the OpenID provider", 30_000);
    const discovery = await fetch(`${this.issuer}/.well-known/openid-configuration`);
    if (!discovery.ok) throw new Error(`the OpenID provider's discovery document answered ${discovery.status}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
