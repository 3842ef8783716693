import { describe, expect, it } from "vitest";

import { JobLimiter } from "./job-limiter";

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

/** Lets every promise callback that is ready run (a job that was handed a slot starts). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A job that records when it starts and runs until released. */
function heldJob(name: string, started: string[]) {
  const gate = deferred();
  return {
    job: async () => {
      started.push(name);
      await gate.promise;
      return name;
    },
    release: gate.resolve,
  };
}

describe("JobLimiter", () => {
  it("runs at most maxRunning jobs at once, queues up to maxQueued, refuses the rest", async () => {
    const limiter = new JobLimiter({ maxRunning: 2, maxQueued: 1 });
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
    const a = limiter.run("x", job(0));
    const b = limiter.run("x", job(1));
    const c = limiter.run("x", job(2)); // queued
    expect(await limiter.run("x", job(0))).toEqual({ refused: "instance_busy" }); // queue full: refused without running
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
    const limiter = new JobLimiter({ maxRunning: 1, maxQueued: 0 });
    await expect(limiter.run("x", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limiter.run("x", async () => "ok")).toEqual({ value: "ok" });
    expect(limiter.statsOf("x")).toEqual({ running: 0, queued: 0 });
  });
});

describe("JobLimiter fairness between owners", () => {
  const limits = { maxRunning: 2, maxQueued: 8, perOwner: { running: 1, queued: 2 } };

  it("one owner flooding 40 jobs holds one slot and two places in the queue; another owner's job starts at once", async () => {
    const limiter = new JobLimiter(limits);
    const started: string[] = [];
    const alice = Array.from({ length: 40 }, (_, i) => heldJob(`alice-${i}`, started));
    const outcomes = alice.map((j) => limiter.run("alice", j.job));
    await settle();
    expect(started).toEqual(["alice-0"]);
    expect(limiter.statsOf("alice")).toEqual({ running: 1, queued: 2 });
    const refused = await Promise.all(outcomes.slice(3));
    expect(refused).toEqual(Array.from({ length: 37 }, () => ({ refused: "owner_share" })));

    const bob = heldJob("bob", started);
    const bobOutcome = limiter.run("bob", bob.job);
    await settle();
    expect(started).toEqual(["alice-0", "bob"]); // at once, ahead of alice's queued jobs
    bob.release();
    expect(await bobOutcome).toEqual({ value: "bob" });

    // alice's queued jobs run one after the other, never two at once, though a slot is free
    alice[0]!.release();
    await settle();
    expect(started).toEqual(["alice-0", "bob", "alice-1"]);
    expect(limiter.stats).toEqual({ running: 1, queued: 1 });
    alice[1]!.release();
    alice[2]!.release();
    expect(await Promise.all(outcomes.slice(0, 3))).toEqual([{ value: "alice-0" }, { value: "alice-1" }, { value: "alice-2" }]);
    expect(limiter.stats).toEqual({ running: 0, queued: 0 });
    expect(limiter.statsOf("alice")).toEqual({ running: 0, queued: 0 });
  });

  it("a freed slot goes to the longest-waiting job whose owner is below their share, not to an owner already running", async () => {
    const limiter = new JobLimiter(limits);
    const started: string[] = [];
    const [a1, b1, a2, c1] = ["alice-1", "bob-1", "alice-2", "carol-1"].map((name) => heldJob(name, started));
    const runs = [limiter.run("alice", a1!.job), limiter.run("bob", b1!.job), limiter.run("alice", a2!.job), limiter.run("carol", c1!.job)];
    await settle();
    expect(started).toEqual(["alice-1", "bob-1"]);
    expect(limiter.stats).toEqual({ running: 2, queued: 2 }); // alice-2 waits first, then carol-1

    b1!.release(); // bob's slot: alice-2 waited longer, but alice already runs one; carol gets it
    await settle();
    expect(started).toEqual(["alice-1", "bob-1", "carol-1"]);
    a1!.release(); // alice's own slot frees: now alice-2 runs
    await settle();
    expect(started).toEqual(["alice-1", "bob-1", "carol-1", "alice-2"]);
    a2!.release();
    c1!.release();
    await Promise.all(runs);
    expect(limiter.stats).toEqual({ running: 0, queued: 0 });
  });

  it("refuses an owner who holds nothing only because the instance is full, and says so", async () => {
    const limiter = new JobLimiter({ maxRunning: 2, maxQueued: 1, perOwner: { running: 1, queued: 0 } });
    const started: string[] = [];
    const jobs = ["alice", "bob"].map((name) => heldJob(name, started));
    const runs = [limiter.run("alice", jobs[0]!.job), limiter.run("bob", jobs[1]!.job)];
    // carol has no job anywhere: it is the instance that is full, even though her queue share is 0
    expect(await limiter.run("carol", async () => "carol")).toEqual({ refused: "instance_busy" });
    // alice runs one and may queue none: her own share stands in the way
    expect(await limiter.run("alice", async () => "again")).toEqual({ refused: "owner_share" });
    for (const job of jobs) job.release();
    await Promise.all(runs);
  });

  it("keeps its bounds and never leaves a slot idle while a job that may run waits (random arrivals and finishes)", async () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const bounds = { maxRunning: 3, maxQueued: 5, perOwner: { running: 1, queued: 2 } };
    const limiter = new JobLimiter(bounds);
    const owners = ["a", "b", "c", "d", "e"];
    const live = new Map<string, { release: () => void; owner: string }>();
    const runningBy = new Map<string, number>();
    const runs: Promise<unknown>[] = [];
    let refusedOwnerShare = 0;
    for (let step = 0; step < 600; step++) {
      if (random() < 0.55 || live.size === 0) {
        // one owner ("a") floods; the others come now and then
        const owner = random() < 0.5 ? "a" : owners[Math.floor(random() * owners.length)]!;
        const gate = deferred();
        const name = `${owner}-${step}`;
        runs.push(
          limiter
            .run(owner, async () => {
              runningBy.set(owner, (runningBy.get(owner) ?? 0) + 1);
              live.set(name, { release: gate.resolve, owner });
              await gate.promise;
              runningBy.set(owner, runningBy.get(owner)! - 1);
            })
            .then((outcome) => {
              if ("refused" in outcome && outcome.refused === "owner_share") refusedOwnerShare += 1;
            }),
        );
      } else {
        const names = [...live.keys()];
        const name = names[Math.floor(random() * names.length)]!;
        live.get(name)!.release();
        live.delete(name);
      }
      await settle();
      const { running, queued } = limiter.stats;
      expect(running).toBeLessThanOrEqual(bounds.maxRunning);
      expect(queued).toBeLessThanOrEqual(bounds.maxQueued);
      for (const owner of owners) {
        const share = limiter.statsOf(owner);
        expect(share.running).toBe(runningBy.get(owner) ?? 0);
        expect(share.running).toBeLessThanOrEqual(bounds.perOwner.running);
        expect(share.queued).toBeLessThanOrEqual(bounds.perOwner.queued);
        // work-conserving: a free slot means every waiting job's owner already runs their share
        if (running < bounds.maxRunning && share.queued > 0) expect(share.running).toBe(bounds.perOwner.running);
      }
    }
    for (const { release } of live.values()) release();
    while (limiter.stats.running + limiter.stats.queued > 0) {
      for (const { release } of live.values()) release();
      await settle();
    }
    await Promise.all(runs);
    expect(refusedOwnerShare).toBeGreaterThan(0);
  });
});
