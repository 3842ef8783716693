/**
 * One virtual user: signed in with its own name, walking the whole wizard over HTTP through the
 * load balancer in a loop, with the browser's own API client policy (lib/client/api.ts: the same
 * retries, the same errors), and the file POSTed straight to S3 as the browser does.
 */
import type { AvatarView, CropResult, ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";
import { ApiError, apiRequest, type Transport } from "@/lib/client/api";
import { sendToS3 } from "@/test/harness/s3-post";

import { Client } from "../web/client";

export type Step = "presign" | "upload" | "finish" | "crop" | "save" | "history";
export const STEPS: Step[] = ["presign", "upload", "finish", "crop", "save", "history"];

export type StepSample = { step: Step; ms: number; at: number; ok: boolean };
export type UserError = { step: Step; status: number; code: string; message: string; at: number };
export type Saved = { userId: string; uploadId: string; avatarId: string; at: number };

export type WalkerLog = {
  samples: StepSample[];
  errors: UserError[];
  retries: { step: Step; reason: string; at: number }[];
  saves: Saved[];
  walks: number;
  /** Answers an instance gave, by method, route pattern and status (every attempt, retries included). */
  answers: Map<string, number>;
  /** Answers nginx gave itself (x-served-by: lb), which no instance counted. */
  lbAnswers: Map<string, number>;
};

export const newLog = (): WalkerLog => ({ samples: [], errors: [], retries: [], saves: [], walks: 0, answers: new Map(), lbAnswers: new Map() });

/** "/api/uploads/<id>/crop" → "/api/uploads/[uploadId]/crop": the route, not the ids. */
export function routeOf(pathname: string): string {
  return pathname
    .split("?")[0]!
    .replace(/^\/api\/uploads\/[0-9a-f]{32}/, "/api/uploads/[uploadId]")
    .replace(/^\/api\/avatars\/[0-9a-f]{25}/, "/api/avatars/[avatarId]");
}

export class Walker {
  readonly client: Client;
  userId = "";
  /** Refused by the hourly bound: a person reads the sentence and stops, so the virtual user does too. */
  limited = false;

  constructor(
    origin: string,
    readonly name: string,
    private readonly log: WalkerLog,
    private readonly t0: number,
  ) {
    this.client = new Client(origin);
  }

  async signIn(): Promise<void> {
    await this.client.signIn(this.name);
    const session = (await (await this.client.request("/api/auth/session")).json()) as { user?: { id?: string } };
    if (!session.user?.id) throw new Error(`${this.name}: no session after signing in`);
    this.userId = session.user.id;
  }

  private readonly transport: Transport = async (path, init) => {
    const response = await this.client.send(path, init);
    const key = `${init.method} ${routeOf(path)} ${response.status}`;
    const counts = response.headers.get("x-served-by") === "lb" ? this.log.lbAnswers : this.log.answers;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return response;
  };

  private async timed<T>(step: Step, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const value = await run();
      this.log.samples.push({ step, ms: performance.now() - started, at: Date.now() - this.t0, ok: true });
      return value;
    } catch (error) {
      this.log.samples.push({ step, ms: performance.now() - started, at: Date.now() - this.t0, ok: false });
      throw error;
    }
  }

  private call<T>(step: Step, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    return this.timed(step, () =>
      apiRequest<T>(this.transport, path, { ...init, onRetry: (reason) => this.log.retries.push({ step, reason, at: Date.now() - this.t0 }) }),
    );
  }

  /** One whole wizard: presign, POST to S3, check, crop, save (and now and then the history). */
  async walk(picture: { bytes: Buffer; width: number; height: number }, withHistory: boolean): Promise<void> {
    let step: Step = "presign";
    try {
      const started = await this.call<StartedUpload>("presign", "/api/uploads", { method: "POST", body: { contentType: "image/jpeg", size: picture.bytes.length } });
      step = "upload";
      const s3 = await this.timed("upload", () => sendToS3(started.upload, picture.bytes, "image/jpeg"));
      await s3.arrayBuffer();
      if (s3.status >= 300) throw new ApiError(`S3 refused the upload (${s3.status})`, s3.status, "s3_refused");
      step = "finish";
      // As the early crop step (the default flow) sends it: the browser shows its own copy, no preview is made.
      const ready = await this.call<ReadyUpload>("finish", `/api/uploads/${started.uploadId}/finish`, { method: "POST", body: { previewInBrowser: true } });
      step = "crop";
      const side = Math.min(ready.displayed.width, ready.displayed.height) - 10;
      const crop = await this.call<CropResult>("crop", `/api/uploads/${started.uploadId}/crop`, { method: "POST", body: { left: 5, top: 5, width: side, height: side, rotation: 0 } });
      step = "save";
      const saved = await this.call<AvatarView>("save", `/api/uploads/${started.uploadId}/save`, { method: "POST", body: { cropId: crop.cropId } });
      this.log.saves.push({ userId: this.userId, uploadId: started.uploadId, avatarId: saved.avatarId, at: Date.now() - this.t0 });
      if (withHistory) {
        step = "history";
        await this.call("history", "/api/avatars?limit=12");
      }
      this.log.walks++;
    } catch (error) {
      const at = Date.now() - this.t0;
      if (error instanceof ApiError) {
        this.log.errors.push({ step, status: error.status, code: error.code, message: error.message, at });
        if (error.status === 429 && step === "presign") this.limited = true;
      }
      else this.log.errors.push({ step, status: 0, code: "exception", message: error instanceof Error ? error.message : String(error), at });
    }
  }
}
