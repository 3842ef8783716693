/**
 * Development aid: which app instance answered each of the wizard's API calls (the x-served-by
 * header), kept for the tab's lifetime so later steps can show where earlier ones ran. Recorded
 * only in development builds; in production nothing is stored and nothing is shown.
 */

export type ServedBy = { call: string; instance: string; at: number };

// Next.js inlines NODE_ENV into client bundles at build time; nothing is read at run time.
// eslint-disable-next-line no-restricted-properties
export const showServedBy = process.env.NODE_ENV === "development";

let entries: ServedBy[] = [];
const listeners = new Set<() => void>();

/** "POST /api/uploads/<id>/finish" becomes "check upload"; ids are left out. */
export function describeCall(method: string, path: string): string {
  const pathname = path.split("?")[0] ?? path;
  if (/\/api\/uploads\/[^/]+\/finish$/.test(pathname)) return "check upload";
  if (/\/api\/uploads\/[^/]+\/crop$/.test(pathname)) return "crop";
  if (/\/api\/uploads\/[^/]+\/save$/.test(pathname)) return "save";
  if (method === "POST" && pathname === "/api/uploads") return "start upload";
  return `${method} ${pathname.replace(/\/[0-9a-f]{16,}/g, "/…")}`;
}

export function recordServedBy(method: string, path: string, instance: string | null): void {
  if (!showServedBy || !instance) return;
  entries = [...entries.slice(-9), { call: describeCall(method, path), instance, at: Date.now() }];
  listeners.forEach((listener) => listener());
}

export function servedBySnapshot(): ServedBy[] {
  return entries;
}

export function subscribeServedBy(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
