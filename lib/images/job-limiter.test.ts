import { describe, expect, it } from "vitest";

import { JobLimiter } from "./job-limiter";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe("JobLimiter", () => {
  it("runs at most maxRunning jobs at once, queues up to maxQueued, refuses the rest", async () => {
    const limiter = new JobLimiter(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    let concurrent = 0;
    let peak = 0;
    const job = (i: number) => async () => {
      concurrent += 1;
      peak = Math.max(peak, concurrent);
      await gates[i]!.promise;
      concurrent -= 1;
      return i;
    };
    const a = limiter.run(job(0));
    const b = limiter.run(job(1));
    const c = limiter.run(job(2)); // queued
    expect(await limiter.run(job(0))).toBeUndefined(); // queue full: refused without running
    expect(limiter.stats).toEqual({ running: 2, queued: 1 });

    gates[0]!.resolve();
    expect(await a).toEqual({ value: 0 });
    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all([b, c])).toEqual([{ value: 1 }, { value: 2 }]);
    expect(peak).toBe(2);
    expect(limiter.stats).toEqual({ running: 0, queued: 0 });
  });

  it("frees the slot when a job fails", async () => {
    const limiter = new JobLimiter(1, 0);
    await expect(limiter.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limiter.run(async () => "ok")).toEqual({ value: "ok" });
  });
});
