/**
 * When a page fails in the browser (most often a script chunk the load balancer could not serve
 * during a deploy), the error screen reloads the page by itself: the wizard's state is in the URL
 * and in S3, so a reload resumes exactly where the user was. Bounded per URL, so a page that fails
 * for good shows its message and a Reload button instead of reloading forever.
 */

export type ReloadRecord = { url: string; count: number; firstAt: number };

export const RELOAD_DELAYS_MS = [400, 1500, 4000] as const;
/** Reloads of one URL within this window count together; after it, a failure starts afresh. */
export const RELOAD_WINDOW_MS = 60_000;

export type ReloadDecision = { reload: true; delayMs: number; record: ReloadRecord } | { reload: false };

export function decideReload(previous: ReloadRecord | null, url: string, now: number): ReloadDecision {
  const current = previous && previous.url === url && now - previous.firstAt < RELOAD_WINDOW_MS ? previous : { url, count: 0, firstAt: now };
  const delayMs = RELOAD_DELAYS_MS[current.count];
  if (delayMs === undefined) return { reload: false };
  return { reload: true, delayMs, record: { ...current, count: current.count + 1 } };
}

export function parseReloadRecord(stored: string | null): ReloadRecord | null {
  if (!stored) return null;
  try {
    const value = JSON.parse(stored) as Partial<ReloadRecord>;
    return typeof value.url === "string" && typeof value.count === "number" && typeof value.firstAt === "number"
      ? { url: value.url, count: value.count, firstAt: value.firstAt }
      : null;
  } catch {
    return null;
  }
}
