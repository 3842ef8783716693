"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import type { AvatarPage } from "@/lib/avatars/api-types";
import { placeholderStyle } from "@/lib/avatars/placeholder";
import { renditionSrcSet } from "@/lib/avatars/sizes";
import { ApiError } from "@/lib/client/api";
import { wizardApi } from "@/lib/client/wizard-api";

export function HistoryList({ initial }: { initial: AvatarPage }) {
  const router = useRouter();
  const [items, setItems] = useState(initial.items);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [busy, setBusy] = useState<string>();
  const [message, setMessage] = useState<{ kind: "status" | "alert"; text: string }>();

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
      setMessage({ kind: "alert", text: caught instanceof ApiError ? caught.message : "That did not work. Please try again." });
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
      setMessage({ kind: "alert", text: caught instanceof ApiError ? caught.message : "Loading failed. Please try again." });
    } finally {
      setBusy(undefined);
    }
  }

  if (items.length === 0) return <p>You have no saved avatars yet.</p>;

  return (
    <>
      {message && (
        <p role={message.kind} className={message.kind === "alert" ? "error" : "notice"}>
          {message.text}
        </p>
      )}
      <ul className="history" aria-label="Your avatars, newest first">
        {items.map((item) => (
          <li key={item.avatarId} data-testid="history-item" data-avatar-id={item.avatarId} data-current={item.current}>
            {/* eslint-disable-next-line @next/next/no-img-element -- presigned S3 URL */}
            <img
              src={item.urls["128"]}
              srcSet={renditionSrcSet(item.urls, 96)}
              alt={`Avatar saved ${new Date(item.createdAt).toLocaleString()}`}
              width={96}
              height={96}
              style={placeholderStyle(item.thumbHash)}
            />
            <span className="hint">{new Date(item.createdAt).toLocaleString()}</span>
            {item.current ? (
              <strong>Current avatar</strong>
            ) : (
              <button type="button" className="button secondary" disabled={busy !== undefined} onClick={() => act(item.avatarId, "select")}>
                Use this one
              </button>
            )}
            <button type="button" className="button danger" disabled={busy !== undefined} onClick={() => act(item.avatarId, "delete")}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {cursor && (
        <button type="button" className="button secondary" disabled={busy !== undefined} onClick={loadMore}>
          Load more
        </button>
      )}
    </>
  );
}
