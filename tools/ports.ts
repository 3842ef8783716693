/** Loopback ports: is one open, wait for one, find a free or a closed one. */
import type { ChildProcess } from "node:child_process";
import net from "node:net";

import { sleep } from "./processes";

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

export async function waitForPortFree(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (await portIsOpen(port)) {
    if (Date.now() > deadline) throw new Error(`port ${port} is in use by another program`);
    await sleep(100);
  }
}

/** Waits until `child` listens on `port`; fails at once if it exits first, naming it as `what`. */
export async function waitUntilListening(child: ChildProcess, port: number, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (child.exitCode !== null || !(await portIsOpen(port))) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before listening on ${port} (is the port in use?)`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on ${port} within ${timeoutMs / 1000} s`);
    await sleep(100);
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

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** `explicit` when given, else `preferred` when free, else any free port. */
export async function choosePort(explicit: string | undefined, preferred: number): Promise<number> {
  if (explicit) return Number(explicit);
  return (await portFree(preferred)) ? preferred : closedPort();
}
