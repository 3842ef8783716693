/**
 * A request's id (pure): the one a proxy in front already set when it looks sane, else a new one.
 * proxy.ts assigns it first; route handlers read the same header, so logs and responses agree.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function requestIdFrom(incoming: string | null | undefined): string {
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}
