"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { ApiError } from "@/lib/client/api";
import { wizardApi } from "@/lib/client/wizard-api";

/**
 * "Delete my data": one button, then a confirmation that says exactly what goes. Afterwards the
 * page is rendered again (the history page starts a fresh list for ?deleted) and so is the header.
 */
export function DeleteMyData() {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function deleteEverything() {
    if (pending) return;
    setPending(true);
    setError(undefined);
    try {
      await wizardApi.deleteMyData();
      router.replace("/avatar/history?deleted=1");
      router.refresh(); // the header shows the current avatar, which is gone
      setConfirming(false);
      setPending(false);
    } catch (caught) {
      // Safe to press again: a repeat finishes whatever the failed run left.
      setError(caught instanceof ApiError ? caught.message : "Deleting failed. Please try again.");
      setPending(false);
    }
  }

  return (
    <section className="card" aria-labelledby="delete-data-heading" data-testid="delete-my-data">
      <h2 id="delete-data-heading">Delete my data</h2>
      {!confirming ? (
        <button type="button" className="button danger" onClick={() => setConfirming(true)}>
          Delete my data…
        </button>
      ) : (
        <div role="group" aria-labelledby="delete-data-confirm">
          <p id="delete-data-confirm">This deletes, for good:</p>
          <ul>
            <li>every avatar you saved, in every size,</li>
            <li>your history of avatars,</li>
            <li>your current avatar: pages that show it get a generated picture instead,</li>
            <li>any upload you have not finished, with its crops,</li>
            <li>the initials your generated picture shows (until you sign in again),</li>
            <li>your sessions in other browsers and devices: they are signed out (this one stays).</li>
          </ul>
          <p className="hint">It cannot be undone. Copies other sites or caches already made of a picture are not ours to delete.</p>
          <div className="actions">
            <button type="button" className="button danger" onClick={deleteEverything} disabled={pending}>
              {pending ? "Deleting…" : "Yes, delete everything"}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)} disabled={pending}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
