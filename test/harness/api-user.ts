import { expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";

import type { AvatarPage, AvatarView, CropResult, ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";

import { sendToS3 } from "./s3-post";

/**
 * A signed-in user driving the app over HTTP only, the way a script (or an attacker) would:
 * next-auth's CSRF token + the development sign-in, then the app's JSON API and S3 directly.
 */
export class ApiUser {
  private constructor(
    readonly request: APIRequestContext,
    readonly id: string,
    readonly name: string,
  ) {}

  /** Signs in at `origin`: the single app or the cluster's load balancer. */
  static async signIn(name: string, origin: string): Promise<ApiUser> {
    const request = await playwrightRequest.newContext({ baseURL: origin, extraHTTPHeaders: { origin } });
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const signIn = await request.post("/api/auth/callback/dev", { form: { csrfToken, name, json: "true" } });
    expect(signIn.status()).toBe(200);
    const session = (await (await request.get("/api/auth/session")).json()) as { user?: { id?: string } };
    expect(session.user?.id).toMatch(/^[0-9a-f]{28}$/);
    return new ApiUser(request, session.user!.id!, name);
  }

  /** The session cookie, to call one instance directly (bypassing the load balancer). */
  async cookieHeader(): Promise<string> {
    return (await this.request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  static async anonymous(origin: string): Promise<APIRequestContext> {
    return playwrightRequest.newContext({ baseURL: origin, extraHTTPHeaders: { origin } });
  }

  async presign(declaredType: string, size: number) {
    return this.request.post("/api/uploads", { data: { contentType: declaredType, size } });
  }

  /** Step 1 as the browser does it: presign at the app, send the bytes to S3, then ask the app to check. */
  async upload(bytes: Buffer, declaredType: string) {
    const presign = await this.presign(declaredType, bytes.length);
    if (presign.status() !== 201) return { presign, uploadId: undefined, s3Status: undefined, finish: undefined };
    const { uploadId, upload } = (await presign.json()) as StartedUpload;
    const s3 = await sendToS3(upload, bytes, declaredType);
    const finish = s3.status < 300 ? await this.request.post(`/api/uploads/${uploadId}/finish`) : undefined;
    return { presign, uploadId, s3Status: s3.status, finish };
  }

  async uploadReady(bytes: Buffer, declaredType = "image/jpeg") {
    const result = await this.upload(bytes, declaredType);
    expect(result.finish?.status()).toBe(200);
    return { uploadId: result.uploadId!, state: (await result.finish!.json()) as ReadyUpload };
  }

  async crop(uploadId: string, displayed: { width: number; height: number }) {
    const side = Math.min(displayed.width, displayed.height);
    const response = await this.request.post(`/api/uploads/${uploadId}/crop`, { data: { left: 0, top: 0, width: side, height: side, rotation: 0 } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as CropResult).cropId;
  }

  async save(uploadId: string, cropId: string) {
    const response = await this.request.post(`/api/uploads/${uploadId}/save`, { data: { cropId } });
    expect(response.status()).toBe(200);
    return (await response.json()) as AvatarView;
  }

  async history() {
    return ((await (await this.request.get("/api/avatars?limit=50")).json()) as AvatarPage).items;
  }

  async dispose() {
    await this.request.dispose();
  }
}
