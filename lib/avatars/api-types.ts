/**
 * What the avatar API answers, as one set of types for both sides: the use cases declare their
 * results with them, and components type what apiFetch() returns with them (type-only imports).
 * Pure: types only, no server module, no SDK, so browser code can import it.
 * Errors are not here: every error answers with lib/errors.ts's one JSON shape.
 */

import type { Size } from "@/lib/images/crop-geometry";
import type { RenditionSize } from "@/lib/storage/keys";
import type { PresignedPost } from "@/lib/storage/post-policy";
import type { PresignedPut, PresignedUpload } from "@/lib/storage/upload-target";

export type { PresignedPost, PresignedPut, PresignedUpload };

/** POST /api/uploads: where and how the browser sends the file to S3 (a form POST or a PUT, by S3_UPLOAD_METHOD). */
export type StartedUpload = { uploadId: string; upload: PresignedUpload; maxBytes: number };

/** POST /api/uploads/:id/finish, and GET /api/uploads/:id once the upload is checked. */
export type ReadyUpload = {
  uploadId: string;
  status: "ready";
  /** The original's size as displayed (EXIF orientation applied): crop coordinates use this space. */
  displayed: Size;
  format: string;
  bytes: number;
  preview: { url: string; width: number; height: number };
  /**
   * The square the crop step opens on (the subject, as the server found it), in displayed pixels
   * like `displayed`. Absent for uploads checked before suggestions existed: the crop starts centred.
   */
  suggestedCrop?: { left: number; top: number; width: number; height: number };
};

/** GET /api/uploads/:id: uploaded to S3 but not checked yet, or checked. */
export type UploadState = ReadyUpload | { uploadId: string; status: "uploaded" };

/** POST /api/uploads/:id/crop (201), and the save step's page. */
export type CropResult = { uploadId: string; cropId: string; url: string };

/** One saved avatar: POST /api/uploads/:id/save, POST /api/avatars/:id/select, and each history item. */
export type AvatarView = {
  avatarId: string;
  createdAt: string;
  current: boolean;
  urls: Record<RenditionSize, string>;
  /** ThumbHash (base64) to paint until the picture loads; absent for avatars saved before placeholders existed. */
  thumbHash?: string;
};

/** GET /api/avatars: a page of the history, newest first. */
export type AvatarPage = { items: AvatarView[]; nextCursor?: string };

/** DELETE /api/avatars/:id. */
export type DeletedAvatar = { wasCurrent: boolean };

/** What "delete my data" removed: saved avatars (history records), and all objects it found by listing (the pointer, deleted unlisted, aside). 0 and 0 on a repeat. */
export type DeletedData = { avatars: number; objects: number };
