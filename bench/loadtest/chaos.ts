/**
 * The chaos schedule, as fractions of the run so a shorter run keeps its shape: an instance
 * SIGKILLed and brought back, a rolling SIGTERM restart of every instance, S3 frozen (SIGSTOP) for
 * a few seconds. Each event is timed and logged for the report.
 */
import type { Cluster } from "@/tools/cluster";
import { sleep } from "@/tools/processes";

export type ChaosEvent = { at: number; until: number; what: string };

export type ChaosPlan = { killAt: number; killDownMs: number; rollingAt: number; freezeAt: number; freezeMs: number };

export function chaosPlan(durationMs: number): ChaosPlan {
  return { killAt: durationMs * 0.15, killDownMs: 6_000, rollingAt: durationMs * 0.4, freezeAt: durationMs * 0.75, freezeMs: 4_000 };
}

export async function runChaos(options: { cluster: Cluster; s3Pid: number; plan: ChaosPlan; t0: number; stopped: () => boolean }): Promise<ChaosEvent[]> {
  const { cluster, plan, t0 } = options;
  const events: ChaosEvent[] = [];
  const now = () => Date.now() - t0;
  const waitUntil = async (at: number) => {
    while (now() < at && !options.stopped()) await sleep(Math.min(250, at - now()));
  };
  const record = async (what: string, run: () => Promise<string | void>) => {
    const at = now();
    const detail = await run();
    events.push({ at, until: now(), what: detail ? `${what} (${detail})` : what });
  };
  const victim = cluster.specs[1]!.id;

  await waitUntil(plan.killAt);
  if (options.stopped()) return events;
  await record(`SIGKILL ${victim}`, () => cluster.kill(victim));
  await waitUntil(plan.killAt + plan.killDownMs);
  await record(`${victim} started again`, async () => {
    await cluster.startOne(victim);
    await cluster.waitUntilBalanced();
  });

  await waitUntil(plan.rollingAt);
  if (options.stopped()) return events;
  for (const spec of cluster.specs) {
    await record(`rolling restart: SIGTERM ${spec.id}, drain, start`, async () => {
      const exit = await cluster.restart(spec.id);
      await cluster.waitUntilBalanced();
      return `exit ${exit.code ?? exit.signal}`;
    });
  }

  await waitUntil(plan.freezeAt);
  if (options.stopped()) return events;
  await record(`S3 frozen (SIGSTOP pid ${options.s3Pid}) for ${plan.freezeMs / 1000} s`, async () => {
    process.kill(options.s3Pid, "SIGSTOP");
    try {
      await sleep(plan.freezeMs);
    } finally {
      process.kill(options.s3Pid, "SIGCONT");
    }
  });
  return events;
}
