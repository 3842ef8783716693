"use client";

import { useHistoryList } from "@/components/use-history-list";
import type { AvatarPage, AvatarView } from "@/lib/avatars/api-types";
import { placeholderStyle } from "@/lib/avatars/placeholder";
import { renditionSrcSet } from "@/lib/avatars/sizes";

/** The saved avatars, newest first, with "Use this one", Delete and "Load more". The state is components/use-history-list.ts. */
export function HistoryList({ initial }: { initial: AvatarPage }) {
  const { items, hasMore, busy, message, act, loadMore } = useHistoryList(initial);

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
          <HistoryItem key={item.avatarId} item={item} busy={busy} onAct={act} />
        ))}
      </ul>
      {hasMore && (
        <button type="button" className="button secondary" disabled={busy} onClick={loadMore}>
          Load more
        </button>
      )}
    </>
  );
}

/** One saved avatar: its picture over its placeholder, when it was saved, and what can be done with it. */
function HistoryItem({ item, busy, onAct }: { item: AvatarView; busy: boolean; onAct: (avatarId: string, action: "select" | "delete") => void }) {
  return (
    <li data-testid="history-item" data-avatar-id={item.avatarId} data-current={item.current}>
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
        <button type="button" className="button secondary" disabled={busy} onClick={() => onAct(item.avatarId, "select")}>
          Use this one
        </button>
      )}
      <button type="button" className="button danger" disabled={busy} onClick={() => onAct(item.avatarId, "delete")}>
        Delete
      </button>
    </li>
  );
}
