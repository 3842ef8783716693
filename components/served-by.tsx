"use client";

import { useSyncExternalStore } from "react";

import { servedBySnapshot, showServedBy, subscribeServedBy } from "@/lib/client/served-by";

const none: never[] = [];

/** Development only: a line naming the instance that answered each wizard call so far. */
export function ServedBy() {
  const entries = useSyncExternalStore(subscribeServedBy, servedBySnapshot, () => none);
  if (!showServedBy || entries.length === 0) return null;
  return (
    <p className="hint" data-testid="served-by">
      Served by (development): {entries.map((entry) => `${entry.call} → ${entry.instance}`).join(" · ")}
    </p>
  );
}
