"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import type { AvatarPage } from "@/lib/avatars/api-types";
import { ApiError } from "@/lib/client/api";
import { wizardApi } from "@/lib/client/wizard-api";

export type HistoryMessage = { kind: "status" | "alert"; text: string };

const messageOf = (caught: unknown, fallback: string): HistoryMessage => ({ kind: "alert", text: caught instanceof ApiError ? caught.message : fallback });

/**
 * The history page's list: the avatars shown so far, the next page's cursor, which action is under
 * way (one at a time), and the sentence about the last one. Select and delete refresh the page,
 * whose header shows the current avatar.
 */
export function useHistoryList(initial: AvatarPage) {
  const router = useRouter();
  const [items, setItems] = useState(initial.items);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<HistoryMessage>();

  async function act(avatarId: string, action: "select" | "delete") {
    setBusy(avatarId);
    setMessage(undefined);
    try {
      if (action === "select") {
        await wizardApi.selectAvatar(avatarId);
        setItems((list) => list.map((item) => ({ ...item, current: item.avatarId === avatarId })));
        setMessage({ kind: "status", text: "This is now your avatar." });
      } else {
        await wizardApi.deleteAvatar(avatarId);
        setItems((list) => list.filter((item) => item.avatarId !== avatarId));
        setMessage({ kind: "status", text: "Avatar deleted." });
      }
      router.refresh(); // the header shows the current avatar
    } catch (caught) {
      setMessage(messageOf(caught, "That did not work. Please try again."));
    } finally {
      setBusy(undefined);
    }
  }

  async function loadMore() {
    if (!cursor) return;
    setBusy("more");
    try {
      const page = await wizardApi.listAvatars({ cursor });
      setItems((list) => [...list, ...page.items]);
      setCursor(page.nextCursor);
    } catch (caught) {
      setMessage(messageOf(caught, "Loading failed. Please try again."));
    } finally {
      setBusy(undefined);
    }
  }

  return { items, hasMore: Boolean(cursor), busy: busy !== undefined, message, act, loadMore };
}
