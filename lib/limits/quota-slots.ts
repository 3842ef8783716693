/**
 * Claims one of `limit` numbered slots held in a store where creating a slot is atomic ("create
 * unless it exists": S3's PutObject with If-None-Match: *). Pure: the store is passed in, so the
 * bound can be tested with any interleaving. Exact under a burst: a slot is only ever claimed by
 * one caller, and a caller gives up only when it knows every slot is taken, so of any number of
 * concurrent callers exactly min(callers, free slots) succeed.
 */

export type SlotStore = {
  /** Slots the store lists as taken (may lag behind claims that are under way). */
  listTaken(): Promise<Iterable<number>>;
  /** "claimed": this caller created it; "taken": it exists; "contended": another create of it was under way, outcome unknown. */
  claim(slot: number): Promise<"claimed" | "taken" | "contended">;
};

export type ClaimOptions = {
  /** Slots tried between two listings (spreads a burst over the free slots instead of all on one). */
  perRound?: number;
  /** Rounds that only met contention before giving up (refusing is the safe side of the bound). */
  maxContendedRounds?: number;
  random?: () => number;
};

/** The slot claimed, or undefined when every slot is taken. */
export async function claimSlot(limit: number, store: SlotStore, options: ClaimOptions = {}): Promise<number | undefined> {
  const perRound = options.perRound ?? 4;
  const random = options.random ?? Math.random;
  let contendedRounds = options.maxContendedRounds ?? 5;
  // Taken slots stay taken (nothing frees a slot within its hour), so what was learnt is kept.
  const taken = new Set<number>();
  for (;;) {
    for (const slot of await store.listTaken()) if (slot >= 0 && slot < limit) taken.add(slot);
    const free = shuffled(
      Array.from({ length: limit }, (_, slot) => slot).filter((slot) => !taken.has(slot)),
      random,
    );
    if (free.length === 0) return undefined;
    let learnt = false;
    for (const slot of free.slice(0, perRound)) {
      const outcome = await store.claim(slot);
      if (outcome === "claimed") return slot;
      if (outcome === "taken") {
        taken.add(slot);
        learnt = true;
      }
    }
    // A round that learnt nothing met only contention; those slots may still be free, so try again, a few times.
    if (!learnt && --contendedRounds < 0) return undefined;
  }
}

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
