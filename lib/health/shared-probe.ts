/**
 * One check shared by every caller (pure): at most one run at a time, and its outcome, success or
 * error, answers every call for `maxAgeMs` after it settles. A flood of health checks then costs
 * the checked service one request per window, not one per check.
 */
export function sharedProbe(probe: () => Promise<void>, options: { maxAgeMs: number; now?: () => number }): () => Promise<void> {
  const now = options.now ?? Date.now;
  let running: Promise<void> | undefined;
  let last: { settledAt: number; outcome: Promise<void> } | undefined;
  return () => {
    if (running) return running;
    if (last && now() - last.settledAt < options.maxAgeMs) return last.outcome;
    const run = probe();
    running = run;
    const settle = () => {
      last = { settledAt: now(), outcome: run };
      running = undefined;
    };
    run.then(settle, settle);
    return run;
  };
}
