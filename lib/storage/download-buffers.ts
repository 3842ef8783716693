/**
 * Buffers that originals are downloaded into, kept for the next download: a fresh one per download
 * costs more CPU than filling it (docs/decisions/original-download-buffers.md has the measurement).
 * A buffer goes back only once its job is over and every download into it has settled.
 */

/** What a download asks of its lease: a buffer of `size` bytes, and to be waited for before reuse. */
export type DownloadLease = {
  buffer(size: number): Buffer;
  track(download: Promise<unknown>): void;
};

/** Sizes are rounded up so a slightly larger file next time still fits the kept buffer. */
const ROUND_TO = 4 * 1024 * 1024;

/** At most this many idle buffers are kept (the largest ones): about the image jobs that run at once. */
export const MAX_IDLE_BUFFERS = 2;

const idle: Buffer[] = [];

function take(size: number): Buffer {
  // The smallest idle buffer that fits; otherwise a new one.
  let best = -1;
  for (let i = 0; i < idle.length; i++) if (idle[i]!.length >= size && (best < 0 || idle[i]!.length < idle[best]!.length)) best = i;
  if (best >= 0) return idle.splice(best, 1)[0]!;
  return Buffer.allocUnsafeSlow(Math.ceil(size / ROUND_TO) * ROUND_TO);
}

function giveBack(buffer: Buffer): void {
  idle.push(buffer);
  idle.sort((a, b) => b.length - a.length);
  idle.length = Math.min(idle.length, MAX_IDLE_BUFFERS);
}

/** Runs `work` with a lease; the bytes a download returned into it are valid only until `work` settles. */
export async function withDownloadBuffer<T>(work: (lease: DownloadLease) => Promise<T>): Promise<T> {
  const held: Buffer[] = [];
  const downloads: Promise<unknown>[] = [];
  const lease: DownloadLease = {
    buffer(size) {
      const buffer = take(size);
      held.push(buffer);
      return buffer.subarray(0, size);
    },
    track(download) {
      downloads.push(download);
    },
  };
  try {
    return await work(lease);
  } finally {
    if (held.length > 0) void Promise.allSettled(downloads).then(() => held.forEach(giveBack));
  }
}

/** For tests: how many buffers wait for reuse, and their sizes. */
export function idleDownloadBuffers(): number[] {
  return idle.map((buffer) => buffer.length);
}
