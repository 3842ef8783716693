/**
 * The app's JSON API as typed calls: the one place the browser (and the load test) spells an
 * endpoint. Each call goes through apiRequest's policy (retries on a dead instance, sentences).
 */

import type { AvatarPage, AvatarView, CropResult, DeletedAvatar, DeletedData, ReadyUpload, StartedUpload } from "@/lib/avatars/api-types";
import type { CropRequest } from "@/lib/images/crop-geometry";

import { apiFetch, type ApiInit, type Transport, apiRequest } from "./api";

type Options = Pick<ApiInit, "signal" | "onRetry">;
type Send = <T>(path: string, init: ApiInit) => Promise<T>;

const uploadPath = (uploadId: string) => `/api/uploads/${encodeURIComponent(uploadId)}`;
const avatarPath = (avatarId: string) => `/api/avatars/${encodeURIComponent(avatarId)}`;

/** The calls over `send`: the browser's fetch by default, any transport with wizardApiOver(). */
function calls(send: Send) {
  return {
    /** Step 1: a server-chosen key and a presigned POST or PUT for a file of this type and size. */
    startUpload: (file: { contentType: string; size: number; name?: string }, options: Options = {}) =>
      send<StartedUpload>("/api/uploads", { method: "POST", body: file, ...options }),
    /**
     * The check of what arrived in S3; answers the preview, the displayed size and the suggested crop.
     * `previewInBrowser`: this page shows its own copy, so the server makes its preview only when
     * something asks for it (the answer's preview URL, a reload, another device).
     */
    finishUpload: (uploadId: string, options: Options & { previewInBrowser?: boolean } = {}) => {
      const { previewInBrowser, ...rest } = options;
      return send<ReadyUpload>(`${uploadPath(uploadId)}/finish`, { method: "POST", ...(previewInBrowser && { body: { previewInBrowser } }), ...rest });
    },
    /** Step 2: a square in the original's displayed pixels, with the user's quarter turn. */
    crop: (uploadId: string, crop: CropRequest, options: Options = {}) => send<CropResult>(`${uploadPath(uploadId)}/crop`, { method: "POST", body: crop, ...options }),
    /** Step 3: the crop becomes the current avatar (idempotent: a retry is the same avatar). */
    save: (uploadId: string, cropId: string, options: Options = {}) => send<AvatarView>(`${uploadPath(uploadId)}/save`, { method: "POST", body: { cropId }, ...options }),
    /** A page of the history, newest first. */
    listAvatars: (query: { cursor?: string; limit?: number } = {}, options: Options = {}) => {
      const params = new URLSearchParams();
      if (query.cursor) params.set("cursor", query.cursor);
      if (query.limit) params.set("limit", String(query.limit));
      const search = params.toString();
      return send<AvatarPage>(`/api/avatars${search ? `?${search}` : ""}`, { method: "GET", ...options });
    },
    selectAvatar: (avatarId: string, options: Options = {}) => send<AvatarView>(`${avatarPath(avatarId)}/select`, { method: "POST", ...options }),
    deleteAvatar: (avatarId: string, options: Options = {}) => send<DeletedAvatar>(avatarPath(avatarId), { method: "DELETE", ...options }),
    deleteMyData: (options: Options = {}) => send<DeletedData>("/api/me/data", { method: "DELETE", ...options }),
  };
}

export type WizardApi = ReturnType<typeof calls>;

/** The browser's calls. */
export const wizardApi: WizardApi = calls((path, init) => apiFetch(path, init));

/** The same calls over another HTTP client (the load test's). */
export function wizardApiOver(transport: Transport): WizardApi {
  return calls((path, init) => apiRequest(transport, path, init));
}
