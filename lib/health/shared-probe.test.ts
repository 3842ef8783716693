import { describe, expect, it } from "vitest";

import { sharedProbe } from "./shared-probe";

function counted(outcome: () => Promise<void>) {
  const calls = { count: 0 };
  const probe = () => {
    calls.count += 1;
    return outcome();
  };
  return { calls, probe };
}

describe("sharedProbe", () => {
  it("runs once for any number of concurrent and following calls within the window, then once more", async () => {
    let clock = 0;
    const { calls, probe } = counted(() => new Promise((resolve) => setTimeout(resolve, 5)));
    const check = sharedProbe(probe, { maxAgeMs: 1_000, now: () => clock });
    await Promise.all(Array.from({ length: 100 }, () => check()));
    for (let i = 0; i < 100; i += 1) await check();
    clock += 999;
    await check();
    expect(calls.count).toBe(1);
    clock += 1;
    await check();
    expect(calls.count).toBe(2);
  });

  it("repeats a failure within the window too, so an outage is not hammered, and probes again after it", async () => {
    let clock = 0;
    let up = false;
    const { calls, probe } = counted(() => (up ? Promise.resolve() : Promise.reject(new Error("unreachable"))));
    const check = sharedProbe(probe, { maxAgeMs: 1_000, now: () => clock });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => check()));
    expect(results.every((result) => result.status === "rejected")).toBe(true);
    await expect(check()).rejects.toThrow("unreachable");
    expect(calls.count).toBe(1);
    up = true;
    clock += 1_000;
    await expect(check()).resolves.toBeUndefined();
    expect(calls.count).toBe(2);
  });
});
