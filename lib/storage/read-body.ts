import { finished, type Readable } from "node:stream";

import { AppError } from "@/lib/errors";

/**
 * A response body into one buffer of the announced length, filled as chunks arrive: a 48 MP
 * original is held once, not once in chunks and again in their concatenation (without a length,
 * chunks are gathered). Read in flowing mode ('data' events): `for await` would concatenate buffered
 * chunks, a second copy of the file (docs/decisions/original-download-buffers.md).
 * `allocate` gives the buffer of the announced length (a reused one: lib/storage/download-buffers.ts).
 */
export function readBody(
  body: Readable,
  announced: number | undefined,
  maxBytes: number,
  allocate: (size: number) => Buffer = (size) => Buffer.allocUnsafe(size),
): Promise<Buffer> {
  const whole = announced !== undefined ? allocate(announced) : undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  return new Promise<Buffer>((resolve, reject) => {
    const fail = (error: unknown) => {
      body.destroy();
      reject(error);
    };
    body.on("data", (chunk: Buffer) => {
      if (total + chunk.byteLength > (whole ? whole.length : maxBytes)) return fail(new AppError(whole ? "storage_unavailable" : "file_too_large"));
      if (whole) whole.set(chunk, total);
      else chunks.push(chunk);
      total += chunk.byteLength;
    });
    // Settles on the end, an error, or a close before the end (an aborted download).
    finished(body, (error) => {
      if (error) reject(error);
      else if (whole && total !== whole.length) reject(new AppError("storage_unavailable"));
      else resolve(whole ?? Buffer.concat(chunks, total));
    });
  });
}
