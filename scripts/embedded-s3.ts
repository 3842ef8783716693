/**
 * The embedded S3-compatible server for local development and tests (s3rver, from npm): no cloud
 * account needed. It is a fake: it ignores POST policy conditions and does not implement lifecycle
 * rules, so the app's own post-upload checks are what protect a deployment on such a server.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

type S3rverInstance = { run(): Promise<{ address: string; port: number }>; close(): Promise<void> };
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

export const EMBEDDED_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export type EmbeddedS3 = { endpoint: string; port: number; close(): Promise<void> };

export async function startEmbeddedS3(options: { port: number; directory: string; silent?: boolean }): Promise<EmbeddedS3> {
  mkdirSync(options.directory, { recursive: true });
  const S3rver = require("s3rver") as S3rverConstructor;
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port,
    directory: options.directory,
    silent: options.silent ?? true,
    vhostBuckets: false,
    resetOnClose: false,
  });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, port, close: () => server.close() };
}
