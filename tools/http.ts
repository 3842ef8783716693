/** Plain HTTP from a test: a GET that trusts a test CA, and the one health poll every tier uses. */
import http from "node:http";
import https from "node:https";

import { sleep } from "./processes";

/**
 * A GET that also speaks https with a test's own certificate authority (fetch cannot be given
 * one without undici's Agent): the status and the body as text.
 */
export function getText(url: string, options: { ca?: Buffer; timeoutMs?: number } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === "https:" ? https : http).get(
      target,
      { ...(options.ca ? { ca: options.ca } : {}), timeout: options.timeoutMs ?? 5_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`GET ${url}: no answer within ${options.timeoutMs ?? 5_000} ms`)));
    request.on("error", reject);
  });
}

/** Polls `<url>/api/health` until it answers 200; fails at once when the process behind it has exited. */
export async function waitForHealthy(app: { url: string; running: boolean }, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!app.running) throw new Error(`${app.url} exited before it answered`);
    try {
      const response = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`${app.url}/api/health did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

/** Writes a chunked JSON body of `total` bytes in 16 KiB pieces, 25 ms apart, until the answer comes. */
export function slowChunkedPost(url: string, headers: Record<string, string>, total: number): Promise<{ status: number; code: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(url, { method: "POST", headers: { ...headers, "content-type": "application/json", "transfer-encoding": "chunked" } }, (response) => {
      answered = true;
      const sentWhenAnswered = sent;
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      response.on("end", () => {
        let code = "";
        try {
          code = (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? "";
        } catch {
          code = body.slice(0, 40);
        }
        request.destroy();
        resolve({ status: response.statusCode ?? 0, code, sent: sentWhenAnswered });
      });
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const piece = Buffer.alloc(16 * 1024, "a");
    request.write('{"contentType":"image/jpeg","size":1,"pad":"');
    const timer = setInterval(() => {
      if (answered || sent >= total) {
        clearInterval(timer);
        if (!answered) request.end('"}');
        return;
      }
      request.write(piece);
      sent += piece.length;
    }, 25);
  });
}
