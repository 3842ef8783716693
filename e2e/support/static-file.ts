import { readFileSync, statSync } from "node:fs";

import { expect, type APIRequestContext } from "@playwright/test";

/**
 * That `url` is `file` sent by Next's static file server (the `send` module, which serves public/),
 * not by a route handler, a metadata route or a page: the body is the file's, Last-Modified is the
 * file's own mtime (neither route() nor a prerendered metadata route sends one), Cache-Control is
 * send's `public, max-age=0` (route() says no-store, a metadata route adds must-revalidate), and a
 * byte range is answered with 206. Returns the response's headers for further checks.
 */
export async function expectServedAsStaticFile(request: APIRequestContext, url: string, file: string): Promise<Record<string, string>> {
  const response = await request.get(url, { maxRedirects: 0 });
  expect(response.status(), `GET ${url}`).toBe(200);
  expect(await response.body()).toEqual(readFileSync(file));
  const headers = response.headers();
  expect(headers["last-modified"], `Last-Modified of ${url}`).toBe(statSync(file).mtime.toUTCString());
  expect(headers["cache-control"]).toBe("public, max-age=0");
  expect(headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);

  const range = await request.get(url, { headers: { range: "bytes=0-9" }, maxRedirects: 0 });
  expect(range.status(), `GET ${url} with Range: bytes=0-9`).toBe(206);
  expect(await range.body()).toEqual(readFileSync(file).subarray(0, 10));
  return headers;
}
