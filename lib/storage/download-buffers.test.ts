import { describe, expect, it } from "vitest";

import { idleDownloadBuffers, MAX_IDLE_BUFFERS, withDownloadBuffer } from "./download-buffers";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("withDownloadBuffer", () => {
  it("hands the next job the same memory once a job is over", async () => {
    let first: ArrayBufferLike | undefined;
    await withDownloadBuffer(async (lease) => void (first = lease.buffer(1000).buffer));
    await settle();
    const second = await withDownloadBuffer(async (lease) => lease.buffer(2000));
    expect(second.buffer).toBe(first);
    expect(second.length).toBe(2000); // exactly the size asked for, inside a larger kept buffer
  });

  it("never hands out a buffer that a download still writes into, even after its job threw", async () => {
    let finishDownload!: () => void;
    let leased: ArrayBufferLike | undefined;
    const job = withDownloadBuffer(async (lease) => {
      leased = lease.buffer(1000).buffer;
      lease.track(new Promise<void>((resolve) => (finishDownload = resolve))); // an aborted download, not settled yet
      throw new Error("the crop was refused");
    });
    await expect(job).rejects.toThrow("the crop was refused");
    await settle();
    // Every job meanwhile gets other memory, however many idle buffers there are.
    for (let i = 0; i < 3; i++) expect(await withDownloadBuffer(async (lease) => lease.buffer(1000).buffer)).not.toBe(leased);
    finishDownload();
    await settle();
    // Now it is back: two jobs at once take the two idle buffers, one of them this one.
    const taken = await Promise.all([0, 1].map(() => withDownloadBuffer(async (lease) => (await settle(), lease.buffer(1000).buffer))));
    expect(taken).toContain(leased);
  });

  it("keeps at most MAX_IDLE_BUFFERS, the largest ones", async () => {
    const sizes = [5, 9, 1].map((mib) => mib * 1024 * 1024);
    await Promise.all(
      sizes.map((size) =>
        withDownloadBuffer(async (lease) => {
          lease.buffer(size);
          await settle();
        }),
      ),
    );
    await settle();
    const idle = idleDownloadBuffers();
    expect(idle.length).toBeLessThanOrEqual(MAX_IDLE_BUFFERS);
    expect(Math.min(...idle)).toBeGreaterThanOrEqual(5 * 1024 * 1024);
  });
});
