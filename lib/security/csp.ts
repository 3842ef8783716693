/**
 * The Content-Security-Policy of every page (pure). Scripts need this request's nonce (Next.js
 * puts it on its own scripts); the only other origins are S3's, for the upload POST (connect-src)
 * and the presigned or CDN pictures (img-src); blob: pictures are the crop step's local preview.
 * Workers only from the app's own origin. Pages may not be framed by anyone.
 */
import { bucketUrl, endpointOrigin, type BucketAddress } from "@/lib/storage/bucket-url";

export function contentSecurityPolicy(input: { nonce: string; s3Origins: string[]; imageOrigins: string[]; development: boolean }): string {
  const s3 = input.s3Origins.join(" ");
  const images = [...new Set([...input.s3Origins, ...input.imageOrigins])].join(" ");
  const directives = [
    "default-src 'self'",
    // 'unsafe-eval' only in development, where React's refresh runtime needs it.
    `script-src 'self' 'nonce-${input.nonce}' 'strict-dynamic'${input.development ? " 'unsafe-eval'" : ""}`,
    // react-easy-crop and Next inject small style elements.
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${images}`.trim(),
    `connect-src 'self' ${s3}`.trim(),
    // The upload step's shrink worker (lib/client/shrink-image.worker.ts) is a same-origin chunk;
    // without this, 'strict-dynamic' in script-src (its fallback) would refuse it.
    "worker-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}

/**
 * The sources a browser talks to for this S3 configuration. On AWS, the bucket's own host (or, when
 * the SDK addresses it path-style, the bucket's path): the shared regional endpoint would let a page
 * reach every other bucket in the region.
 */
export function s3BrowserOrigins(address: BucketAddress): string[] {
  const url = bucketUrl(address);
  if (!address.endpoint) return new URL(url).pathname === "/" ? [new URL(url).origin] : [url, `${url}/`];
  return [...new Set([new URL(url).origin, endpointOrigin(address)])];
}
