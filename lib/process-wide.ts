/**
 * One value per process, shared by every copy of a module: Next's production build holds one copy
 * for the route handlers and another in the pages' runtime (lib/metrics/registry.ts says more), so
 * state that a route writes and a page reads lives on globalThis.
 */
export function processWide<T>(name: string, create: () => T): T {
  const holder = globalThis as unknown as Record<symbol, unknown>;
  const key = Symbol.for(`avatar-relay.${name}`);
  holder[key] ??= create();
  return holder[key] as T;
}
