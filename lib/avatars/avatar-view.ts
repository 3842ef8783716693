import "server-only";

import { avatarCreatedAt } from "@/lib/storage/keys";

import type { AvatarView } from "./api-types";
import { renditionUrls } from "./image-urls";

/** A saved avatar as the API shows it (save, select, history, current): its id, date, rendition URLs and placeholder. */
export async function avatarView(userId: string, avatarId: string, current: boolean, thumbHash?: string): Promise<AvatarView> {
  const view: AvatarView = { avatarId, createdAt: avatarCreatedAt(avatarId).toISOString(), current, urls: await renditionUrls(userId, avatarId) };
  return thumbHash ? { ...view, thumbHash } : view;
}
