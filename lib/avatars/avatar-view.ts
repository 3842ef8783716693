import "server-only";

import { avatarCreatedAt } from "@/lib/storage/keys";

import type { AvatarView } from "./api-types";
import { renditionUrls } from "./image-urls";

/** A saved avatar as the API shows it (save, select, history, current): its id, date and rendition URLs. */
export async function avatarView(userId: string, avatarId: string, current: boolean): Promise<AvatarView> {
  return { avatarId, createdAt: avatarCreatedAt(avatarId).toISOString(), current, urls: await renditionUrls(userId, avatarId) };
}
