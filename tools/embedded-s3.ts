/**
 * The embedded S3-compatible server for local development and tests (s3rver, from npm): no cloud
 * account needed. It is a fake: it ignores POST policy conditions and does not implement lifecycle
 * rules, so the app's own post-upload checks are what protect a deployment on such a server.
 * It runs as a child process (embedded-s3-server.ts), the way a real S3 is another server.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const EMBEDDED_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export type EmbeddedS3 = { endpoint: string; port: number; pid: number; close(): Promise<void> };

const serverScript = fileURLToPath(new URL("./embedded-s3-server.ts", import.meta.url));

export function startEmbeddedS3(options: { port: number; directory: string }): Promise<EmbeddedS3> {
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", "--import", "tsx", serverScript, "--port", String(options.port), "--dir", options.directory],
    { stdio: ["ignore", "pipe", "inherit", "ipc"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error("the embedded S3 server did not start within 15 s"));
    }, 15_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the embedded S3 server exited with code ${code} (is port ${options.port} in use?)`));
    });
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^ready (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({ endpoint: match[1]!, port: Number(match[2]), pid: child.pid!, close });
    });
  });
}

/** An embedded S3 whose data lives in a fresh temporary folder, removed again by close(). */
export async function startThrowawayS3(options: { tag: string; port?: number }): Promise<EmbeddedS3> {
  const directory = mkdtempSync(path.join(tmpdir(), `avatar-relay-${options.tag}-s3-`));
  try {
    const s3 = await startEmbeddedS3({ port: options.port ?? 0, directory });
    return {
      ...s3,
      async close() {
        await s3.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
