"use client";

import { useEffect, useState } from "react";

import { decideReload, parseReloadRecord } from "@/lib/client/reload-policy";

const STORAGE_KEY = "avatar-relay:page-error-reloads";

/**
 * What the user sees when a page fails in the browser. During a deploy that is almost always a
 * script the load balancer could not serve for a moment, so the page first reloads itself (the
 * wizard resumes from the URL); only a failure that persists shows the message and a button.
 */
export function PageError({ error }: { error: Error & { digest?: string } }) {
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    console.error("page failed, reloading", error);
    let stored: string | null = null;
    try {
      stored = window.sessionStorage.getItem(STORAGE_KEY);
    } catch {
      // storage blocked: still reload, bounded by this page's own life
    }
    const decision = decideReload(parseReloadRecord(stored), window.location.href, Date.now());
    if (decision.reload) {
      try {
        window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(decision.record));
      } catch {
        // see above
      }
    }
    const timer = window.setTimeout(() => (decision.reload ? window.location.reload() : setGaveUp(true)), decision.reload ? decision.delayMs : 0);
    return () => window.clearTimeout(timer);
  }, [error]);

  return (
    <section className="card" aria-labelledby="page-error-heading" data-testid="page-error">
      <h2 id="page-error-heading">{gaveUp ? "This page could not load" : "One moment"}</h2>
      {gaveUp ? (
        <>
          <p role="alert" className="error">
            The page failed to load several times. Nothing you did is lost: reload to continue where you were.
          </p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </>
      ) : (
        <p role="status">Loading the page again…</p>
      )}
    </section>
  );
}
