/**
 * Where a bucket is on the network, for the requests that do not go through the SDK (a CORS
 * preflight, an anonymous read) and for the browser's Content-Security-Policy. Pure.
 */
export type BucketAddress = { bucket: string; region: string; endpoint?: string; forcePathStyle: boolean };

/** The bucket's URL: `<endpoint>/<bucket>` path-style, `<bucket>.<endpoint host>` virtual-hosted, AWS's own without an endpoint. */
export function bucketUrl(address: BucketAddress): string {
  if (!address.endpoint) {
    // As the SDK addresses AWS: a dotted name cannot be a host under AWS's wildcard certificate.
    if (address.forcePathStyle || address.bucket.includes(".")) return `https://s3.${address.region}.amazonaws.com/${address.bucket}`;
    return `https://${address.bucket}.s3.${address.region}.amazonaws.com`;
  }
  const base = address.endpoint.replace(/\/+$/, "");
  if (address.forcePathStyle) return `${base}/${address.bucket}`;
  const url = new URL(base);
  return `${url.protocol}//${address.bucket}.${url.host}`;
}

/** An object's URL, each path segment of the key encoded. */
export function objectUrl(address: BucketAddress, key: string): string {
  return `${bucketUrl(address)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** The endpoint's own origin, which path-style requests (and presigned POSTs on AWS) use. */
export function endpointOrigin(address: BucketAddress): string {
  return address.endpoint ? new URL(address.endpoint).origin : `https://s3.${address.region}.amazonaws.com`;
}
