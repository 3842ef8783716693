/**
 * An HTTP proxy in front of S3 that counts the bodies of the browser's uploads: POSTs with a
 * multipart/form-data body (the presigned POST). The app's own S3 requests pass through it too
 * (its S3_ENDPOINT is the proxy, so the presigned POST's URL points here) and are not counted.
 * HTTP-aware, not a TCP byte count: on a kept-alive connection one socket carries both kinds.
 * Chromium's own figure (Playwright's request.sizes().requestBodySize) is 0 for a file upload.
 */
import http from "node:http";

export type UploadCounter = { uploads: number; bodyBytes: number };
export type UploadProxy = { origin: string; counter: UploadCounter; close(): Promise<void> };

export function uploadCountingProxy(target: string): Promise<UploadProxy> {
  const upstream = new URL(target);
  const counter: UploadCounter = { uploads: 0, bodyBytes: 0 };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((request, response) => {
    const counted = request.method === "POST" && (request.headers["content-type"] ?? "").startsWith("multipart/form-data");
    if (counted) counter.uploads += 1;
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers, agent },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(response);
      },
    );
    forward.on("error", () => response.destroy());
    request.on("data", (chunk: Buffer) => {
      if (counted) counter.bodyBytes += chunk.length;
    });
    request.pipe(forward);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as import("node:net").AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        counter,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            agent.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
