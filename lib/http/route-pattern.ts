/**
 * The route a request matched, written as its folder pattern (`/api/uploads/[uploadId]/crop`), from
 * the path and the params Next resolved for it: each param, in order, replaces the path segment(s)
 * it was read from. A metric label, so its values must be bounded by the app's routes, never by the
 * ids in paths: a param found nowhere in the path (which Next does not produce) gives "unmatched"
 * rather than a path that might hold an id. A value equal to a static segment before its own (only
 * an invalid id can be "uploads") names that segment instead: a wrong label, but still one of a few.
 * Pure.
 */

export const UNMATCHED_ROUTE = "unmatched";

type Params = Record<string, string | string[] | undefined>;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `params` is undefined for a static route: that is what Next resolves its context's params to. */
export function routePattern(pathname: string, params: Params | undefined): string {
  const segments = pathname.split("/");
  const values = segments.map(decoded);
  let from = 1; // segments[0] is the empty string before the leading slash
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue; // an empty optional catch-all
    const parts = Array.isArray(value) ? value : [value];
    const at = values.findIndex((_, i) => i >= from && parts.every((part, j) => values[i + j] === part));
    if (at < 0) return UNMATCHED_ROUTE;
    segments.splice(at, parts.length, Array.isArray(value) ? `[...${name}]` : `[${name}]`);
    values.splice(at, parts.length, "");
    from = at + 1;
  }
  return segments.join("/");
}
