/** The JavaScript a route's HTML loads, from the production build's manifests, raw and gzipped. */
import { readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

/** The app's own 404 page (root layout + Next's built-in not-found): what every page loads at least. */
export const EMPTY_ROUTE = "/_not-found/page";
/** The wizard's pages: upload, crop, save. */
export const WIZARD_ROUTES = ["/avatar/new/page", "/avatar/new/[uploadId]/page", "/avatar/new/[uploadId]/[cropId]/page"] as const;
export const CROP_ROUTE = WIZARD_ROUTES[1];

export type RouteJs = { route: string; files: string[]; rawBytes: number; gzipBytes: number };

function gzipSize(file: string): { raw: number; gzip: number } {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes).length };
}

/** The scripts a route's HTML loads: the root main files plus the client chunks of its layouts and page. */
export function routeJavaScript(buildDir: string, route: string): RouteJs {
  const next = path.join(buildDir, ".next");
  const buildManifest = JSON.parse(readFileSync(path.join(next, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const context: Record<string, unknown> = {};
  context.self = context;
  context.globalThis = context;
  vm.createContext(context);
  vm.runInContext(readFileSync(path.join(next, "server", "app", `${route}_client-reference-manifest.js`), "utf8"), context);
  const manifest = (context.__RSC_MANIFEST as Record<string, { entryJSFiles: Record<string, string[]> }>)[route];
  if (!manifest) throw new Error(`no client reference manifest for ${route}`);
  const files = [...new Set([...buildManifest.rootMainFiles, ...Object.values(manifest.entryJSFiles).flat()])].sort();
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const size = gzipSize(path.join(next, file));
    rawBytes += size.raw;
    gzipBytes += size.gzip;
  }
  return { route, files, rawBytes, gzipBytes };
}
