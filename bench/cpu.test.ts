import { describe, expect, it } from "vitest";

import { measureCpu, ownCpuMs, processCpuMs } from "./cpu";

describe("CPU time", () => {
  it("counts this process's work, and reads another process's from /proc", async () => {
    // Spins until it has used 80 ms of CPU (not of wall clock: on a busy machine that is longer).
    const spin = async () => {
      const until = ownCpuMs() + 80;
      while (ownCpuMs() < until) Math.sqrt(Math.random());
    };
    const span = await measureCpu(process.pid, spin);
    expect(span.appCpuMs).toBeGreaterThanOrEqual(80);
    // The same process read through /proc, in 10 ms ticks.
    expect(span.s3CpuMs).toBeGreaterThanOrEqual(60);
  });

  it("is unknown without a pid, or for a process that does not exist", async () => {
    expect(processCpuMs(undefined)).toBeUndefined();
    expect(processCpuMs(2 ** 30)).toBeUndefined();
    expect((await measureCpu(undefined, async () => 1)).s3CpuMs).toBeUndefined();
  });
});
