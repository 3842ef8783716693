/*
 * The embedded S3-compatible server (s3rver) as its own process, like a real S3 would be.
 * Run by embedded-s3.ts with --openssl-legacy-provider: s3rver encrypts its
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in its legacy provider;
 * without it every paginated listing answers 500. Only this fake S3 process gets that flag.
 *
 * Usage: node --openssl-legacy-provider --import tsx tools/embedded-s3-server.ts --port 4569 --dir .data/s3
 * Prints one line "ready http://127.0.0.1:<port>" once it accepts requests.
 */
import fs from "node:fs";
import S3rver from "s3rver";

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return (index > 0 ? process.argv[index + 1] : undefined) ?? fallback;
}

async function main() {
  const directory = arg("dir", ".data/s3");
  fs.mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: Number(arg("port", "4569")),
    directory,
    silent: arg("verbose", "false") !== "true",
    vhostBuckets: false,
    resetOnClose: false,
  });
  const { port } = await server.run();
  process.stdout.write(`ready http://127.0.0.1:${port}\n`);
  const stop = () => server.close().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  // Exit with the parent: a test run or `npm run dev` that dies must not leave S3 running.
  process.on("disconnect", stop);
}

main().catch((error: unknown) => {
  console.error(`embedded S3 failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
