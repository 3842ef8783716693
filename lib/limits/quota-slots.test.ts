import { describe, expect, it } from "vitest";

import { claimSlot, type SlotStore } from "./quota-slots";

const seeded = (seed: number) => () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

/**
 * An S3-like store: creates are atomic, every call takes a random number of ticks, and a listing
 * may be `lagTicks` behind (it shows what was created before it started, minus the newest).
 */
function fakeStore(options: { seed: number; staleListing?: boolean; contendedEvery?: number }) {
  const random = seeded(options.seed);
  const created = new Map<number, number>(); // slot -> claimer
  const calls = { list: 0, claim: 0 };
  let nextClaimer = 0;
  const ticks = async () => {
    for (let i = Math.floor(random() * 4); i >= 0; i--) await Promise.resolve();
  };
  const storeFor = (): SlotStore & { id: number } => {
    const id = nextClaimer++;
    return {
      id,
      async listTaken() {
        calls.list += 1;
        const snapshot = options.staleListing ? [] : [...created.keys()];
        await ticks();
        return snapshot;
      },
      async claim(slot) {
        calls.claim += 1;
        await ticks();
        if (options.contendedEvery && calls.claim % options.contendedEvery === 0) return "contended";
        if (created.has(slot)) return "taken";
        created.set(slot, id);
        await ticks();
        return "claimed";
      },
    };
  };
  return { storeFor, created, calls };
}

describe("claimSlot", () => {
  it("80 callers at once on 30 slots: exactly 30 claim one each, every slot once, the other 50 are refused", async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { storeFor, created, calls } = fakeStore({ seed });
      const results = await Promise.all(Array.from({ length: 80 }, () => claimSlot(30, storeFor(), { random: seeded(seed * 7) })));
      const claimed = results.filter((slot) => slot !== undefined);
      expect(claimed).toHaveLength(30);
      expect(new Set(claimed).size).toBe(30);
      expect([...created.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      // bounded work: well under every caller trying every slot
      expect(calls.claim).toBeLessThan(80 * 30);
    }
  });

  it("stays exact when the listing shows nothing (an S3 whose listing lags): the 412s alone teach which slots are taken", async () => {
    const { storeFor } = fakeStore({ seed: 9, staleListing: true });
    const results = await Promise.all(Array.from({ length: 80 }, () => claimSlot(30, storeFor(), { random: seeded(3) })));
    expect(results.filter((slot) => slot !== undefined)).toHaveLength(30);
  });

  it("never passes the bound under contention (AWS's 409), and stays exact when contention is occasional", async () => {
    const { storeFor } = fakeStore({ seed: 11, contendedEvery: 7 });
    const results = await Promise.all(Array.from({ length: 80 }, () => claimSlot(30, storeFor(), { random: seeded(5) })));
    expect(results.filter((slot) => slot !== undefined)).toHaveLength(30);
  });

  it("gives up after a few rounds of nothing but contention: refusing is the safe side", async () => {
    let claims = 0;
    const store: SlotStore = { listTaken: async () => [], claim: async () => (claims++, "contended") };
    expect(await claimSlot(3, store, { perRound: 2, maxContendedRounds: 2 })).toBeUndefined();
    expect(claims).toBe(6); // three rounds of two
  });

  it("refuses without a single create when the listing shows every slot taken", async () => {
    let claims = 0;
    const full: SlotStore = { listTaken: async () => [0, 1, 2], claim: async () => (claims++, "claimed") };
    expect(await claimSlot(3, full)).toBeUndefined();
    expect(claims).toBe(0);
  });

  it("tries only the slots the listing shows free", async () => {
    const tried: number[] = [];
    const store: SlotStore = { listTaken: async () => [0, 2], claim: async (slot) => (tried.push(slot), "claimed") };
    expect(await claimSlot(3, store)).toBe(1);
    expect(tried).toEqual([1]);
  });
});
