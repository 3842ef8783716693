/**
 * Reads every instance's /api/metrics during the run and adds up its request counter across
 * restarts (a counter that goes down belongs to a new process), to put beside the load test's own
 * count of the answers it got.
 */
import { sleep } from "@/tools/processes";

/** The request counter the app exports (lib/metrics) and the labels that identify an answer. */
export const REQUEST_COUNTER = "avatar_relay_http_requests_total";

type Sample = { name: string; labels: Record<string, string>; value: number };

/** Prometheus text exposition: `name{a="b",c="d"} 12`; comments and blank lines skipped. */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, "$1");
    samples.push({ name: match[1]!, labels, value: Number(match[4]) });
  }
  return samples;
}

export type CounterKey = (labels: Record<string, string>) => string | undefined;

/** One instance's counter values, summed over its processes: last seen + what earlier processes ended with. */
class Accumulator {
  private readonly base = new Map<string, number>();
  private last = new Map<string, number>();
  private total = 0;
  scrapes = 0;
  resets = 0;

  add(values: Map<string, number>): void {
    this.scrapes++;
    const sum = [...values.values()].reduce((a, b) => a + b, 0);
    if (sum < this.total) {
      this.resets++;
      for (const [key, value] of this.last) this.base.set(key, (this.base.get(key) ?? 0) + value);
    }
    this.total = sum;
    this.last = values;
  }

  counts(): Map<string, number> {
    const counts = new Map(this.base);
    for (const [key, value] of this.last) counts.set(key, (counts.get(key) ?? 0) + value);
    return counts;
  }
}

export type MetricsComparison = { scraped: boolean; rows: { key: string; client: number; server: number }[]; note: string };

export class MetricsScraper {
  private readonly accumulators = new Map<string, Accumulator>();
  private before = new Map<string, number>();
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly instances: () => { id: string; url: string }[],
    private readonly token: string,
    private readonly keyOf: CounterKey,
  ) {}

  private async scrapeOnce(): Promise<void> {
    await Promise.all(
      this.instances().map(async ({ id, url }) => {
        try {
          const response = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${this.token}` }, signal: AbortSignal.timeout(2_000) });
          if (response.status !== 200) return;
          const values = new Map<string, number>();
          for (const sample of parsePrometheus(await response.text())) {
            if (sample.name !== REQUEST_COUNTER) continue;
            const key = this.keyOf(sample.labels);
            if (key) values.set(key, (values.get(key) ?? 0) + sample.value);
          }
          if (!this.accumulators.has(id)) this.accumulators.set(id, new Accumulator());
          this.accumulators.get(id)!.add(values);
        } catch {
          // down or restarting: the next scrape sees the new process
        }
      }),
    );
  }

  totals(): Map<string, number> {
    const totals = new Map<string, number>();
    for (const accumulator of this.accumulators.values()) for (const [key, value] of accumulator.counts()) totals.set(key, (totals.get(key) ?? 0) + value);
    return totals;
  }

  async start(intervalMs = 500): Promise<void> {
    await this.scrapeOnce();
    this.before = this.totals();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await sleep(intervalMs);
        await this.scrapeOnce();
      }
    })();
  }

  async stop(): Promise<{ resets: number }> {
    this.running = false;
    await this.loop;
    await this.scrapeOnce();
    return { resets: [...this.accumulators.values()].reduce((n, a) => n + a.resets, 0) };
  }

  /** Scrapes now and returns the totals (for a phase's start and end). */
  async snapshot(): Promise<Map<string, number>> {
    await this.scrapeOnce();
    return this.totals();
  }

  /** The counter's growth between two snapshots beside what the load test counted in between, key by key. */
  compare(client: Map<string, number>, note: string, from: Map<string, number> = this.before, to: Map<string, number> = this.totals()): MetricsComparison {
    const keys = [...new Set([...client.keys(), ...to.keys()])].sort();
    const rows = keys.map((key) => ({ key, client: client.get(key) ?? 0, server: (to.get(key) ?? 0) - (from.get(key) ?? 0) })).filter((row) => row.client > 0 || row.server > 0);
    return { scraped: [...this.accumulators.values()].some((a) => a.scrapes > 0), rows, note };
  }
}
