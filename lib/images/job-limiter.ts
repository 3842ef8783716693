/**
 * Bounds the image work one instance does at once (pure; one instance per process). Decoding a
 * 48 MP photo takes hundreds of MB, so running every request at once would let a burst of uploads
 * exhaust memory. Up to `maxRunning` jobs run; up to `maxQueued` wait; beyond that a job is refused
 * at once so the handler answers 429 with Retry-After rather than piling up.
 */
export class JobLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxQueued: number,
  ) {}

  get stats(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** Runs `job` when a slot is free; returns undefined (without running it) when the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxQueued) return undefined;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return { value: await job() };
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next job
      else this.running -= 1;
    }
  }
}
