/**
 * Bounds the image work one instance does at once (pure; one instance per process). Decoding a
 * 48 MP photo takes hundreds of MB, so running every request at once would let a burst of uploads
 * exhaust memory. Up to `maxRunning` jobs run; up to `maxQueued` wait; beyond that a job is refused
 * at once so the handler answers 429 with Retry-After rather than piling up.
 *
 * Fair between owners (users): one owner runs at most `perOwner.running` jobs and has at most
 * `perOwner.queued` waiting, so one user flooding the instance holds only their share and another
 * user's job starts at once while a slot is free. A freed slot goes to the longest-waiting job
 * whose owner is below their running share; the jobs of an owner at their share wait for their own.
 */

export type JobLimits = {
  maxRunning: number;
  maxQueued: number;
  /** Each owner's share; by default unbounded (first come, first served). */
  perOwner?: { running: number; queued: number };
};

/** Why a job was refused: the instance is full, or its owner already holds their share. */
export type Refusal = "instance_busy" | "owner_share";

export type JobOutcome<T> = { value: T } | { refused: Refusal };

type Share = { running: number; queued: number };

export class JobLimiter {
  private running = 0;
  private readonly waiting: { owner: string; start: () => void }[] = [];
  private readonly shares = new Map<string, Share>();
  private readonly maxRunning: number;
  private readonly maxQueued: number;
  private readonly perOwner: Share;

  constructor(limits: JobLimits) {
    this.maxRunning = limits.maxRunning;
    this.maxQueued = limits.maxQueued;
    this.perOwner = limits.perOwner ?? { running: Number.POSITIVE_INFINITY, queued: Number.POSITIVE_INFINITY };
  }

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** What one owner holds now: running and waiting jobs. */
  statsOf(owner: string): Share {
    const share = this.shares.get(owner);
    return { running: share?.running ?? 0, queued: share?.queued ?? 0 };
  }

  /** Runs `job` for `owner` when a slot is free and the owner is within their share; refuses it (without running it) otherwise. */
  async run<T>(owner: string, job: () => Promise<T>): Promise<JobOutcome<T>> {
    const share = this.shareOf(owner);
    // No waiting job can take a free slot here (dispatch() hands every free slot to one that can),
    // so starting at once never overtakes a job that could have run.
    if (this.running < this.maxRunning && share.running < this.perOwner.running) {
      this.start(share);
    } else if (share.queued < this.perOwner.queued && this.waiting.length < this.maxQueued) {
      share.queued += 1;
      await new Promise<void>((resolve) => this.waiting.push({ owner, start: resolve }));
    } else {
      // The owner's own jobs are what stands in the way only when they hold some and their queue share is used up.
      const ownShare = share.running + share.queued > 0 && share.queued >= this.perOwner.queued;
      this.forgetIfIdle(owner, share);
      return { refused: ownShare ? "owner_share" : "instance_busy" };
    }
    try {
      return { value: await job() };
    } finally {
      this.running -= 1;
      share.running -= 1;
      this.forgetIfIdle(owner, share);
      this.dispatch();
    }
  }

  private shareOf(owner: string): Share {
    let share = this.shares.get(owner);
    if (!share) this.shares.set(owner, (share = { running: 0, queued: 0 }));
    return share;
  }

  private start(share: Share): void {
    this.running += 1;
    share.running += 1;
  }

  private forgetIfIdle(owner: string, share: Share): void {
    if (share.running === 0 && share.queued === 0) this.shares.delete(owner);
  }

  /** Hands free slots to the longest-waiting jobs whose owners are below their running share. */
  private dispatch(): void {
    while (this.running < this.maxRunning) {
      const index = this.waiting.findIndex((waiter) => this.statsOf(waiter.owner).running < this.perOwner.running);
      if (index < 0) return;
      const [next] = this.waiting.splice(index, 1);
      const share = this.shareOf(next!.owner);
      share.queued -= 1;
      this.start(share);
      next!.start();
    }
  }
}
