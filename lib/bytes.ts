/** Sizes as people read them (pure; any layer and the browser use it). */

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}

/** "The file is 12.3 MB; the limit is 10 MB.", exact in bytes when rounding would make both look equal. */
export function describeOverLimit(size: number, limit: number): string {
  const [a, b] = [formatBytes(size), formatBytes(limit)];
  return a === b
    ? `is ${size.toLocaleString("en-US")} bytes; the limit is ${limit.toLocaleString("en-US")} bytes (${b}).`
    : `is ${a}; the limit is ${b}.`;
}
