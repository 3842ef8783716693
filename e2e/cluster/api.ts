import http from "node:http";

import { expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";

import { LB_ORIGIN } from "./config";

/** A user driving the JSON API through the load balancer (no browser), for the server-side tests. */
export class ClusterApiUser {
  private constructor(
    readonly request: APIRequestContext,
    readonly id: string,
  ) {}

  static async signIn(name: string): Promise<ClusterApiUser> {
    const request = await playwrightRequest.newContext({ baseURL: LB_ORIGIN, extraHTTPHeaders: { origin: LB_ORIGIN } });
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const signIn = await request.post("/api/auth/callback/dev", { form: { csrfToken, name, json: "true" } });
    expect(signIn.status()).toBe(200);
    const session = (await (await request.get("/api/auth/session")).json()) as { user?: { id?: string } };
    expect(session.user?.id).toMatch(/^[0-9a-f]{24}$/);
    return new ClusterApiUser(request, session.user!.id!);
  }

  async cookieHeader(): Promise<string> {
    return (await this.request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  /** Step 1 as the browser does it: presign at the app, POST the bytes to S3, then the app's check. */
  async upload(bytes: Buffer): Promise<{ uploadId: string; displayed: { width: number; height: number } }> {
    const presign = await this.request.post("/api/uploads", { data: { contentType: "image/jpeg", size: bytes.length, name: "big.jpg" } });
    expect(presign.status()).toBe(201);
    const { uploadId, post } = (await presign.json()) as { uploadId: string; post: { url: string; fields: Record<string, string> } };
    const form = new FormData();
    for (const [key, value] of Object.entries(post.fields)) form.append(key, value);
    form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }), "big.jpg");
    const s3 = await fetch(post.url, { method: "POST", body: form });
    expect(s3.status).toBeLessThan(300);
    const finish = await this.request.post(`/api/uploads/${uploadId}/finish`);
    expect(finish.status()).toBe(200);
    const state = (await finish.json()) as { displayed: { width: number; height: number } };
    return { uploadId, displayed: state.displayed };
  }

  async dispose() {
    await this.request.dispose();
  }
}

export type SlowResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * A POST straight to one instance whose JSON body arrives in two parts, so the request is
 * certainly in flight on that instance between `start` and `finish`.
 */
export function slowPost(url: string, path: string, cookie: string, json: unknown) {
  const body = Buffer.from(JSON.stringify(json));
  const target = new URL(url);
  const request = http.request({
    host: target.hostname,
    port: Number(target.port),
    method: "POST",
    path,
    agent: new http.Agent({ keepAlive: true }),
    headers: { cookie, "content-type": "application/json", "content-length": body.length },
  });
  const response = new Promise<SlowResponse>((resolve, reject) => {
    request.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    request.on("error", reject);
  });
  request.write(body.subarray(0, 8));
  return {
    response,
    finish() {
      request.end(body.subarray(8));
      return response;
    },
  };
}
