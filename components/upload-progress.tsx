import type { ReadyUpload } from "@/lib/avatars/api-types";
import { formatBytes } from "@/lib/bytes";

/** Where the file the crop step shows stands while it uploads and is checked in the background. */
export type BackgroundUploadState =
  /** The browser is still making the copy to upload (the crop step is shown meanwhile). */
  | { stage: "preparing"; name: string }
  | { stage: "uploading"; name: string; sent: number; total: number }
  | { stage: "checking" }
  | { stage: "ready"; upload: ReadyUpload };

/** The background upload's progress in the crop step (data-testid="upload-progress": the bench watches it). */
export function UploadProgress({ state, onCancel }: { state: BackgroundUploadState; onCancel: () => void }) {
  if (state.stage === "ready") {
    return (
      <p className="hint" role="status" data-testid="upload-progress" data-stage="ready">
        Uploaded and checked.
      </p>
    );
  }
  if (state.stage === "checking") {
    return (
      <p className="progress" role="status" data-testid="upload-progress" data-stage="checking">
        Uploaded. Checking the picture…
      </p>
    );
  }
  if (state.stage === "preparing") {
    return (
      <div className="progress" role="status" data-testid="upload-progress" data-stage="preparing">
        <p>Preparing {state.name}…</p>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel upload
        </button>
      </div>
    );
  }
  return <UploadingBar name={state.name} sent={state.sent} total={state.total} onCancel={onCancel} testId="upload-progress" />;
}

/** A file on its way to S3: bytes sent, a real progress bar, and cancel (step 1's and the crop step's). */
export function UploadingBar({ name, sent, total, onCancel, testId }: { name: string; sent: number; total: number; onCancel: () => void; testId?: string }) {
  const percent = total > 0 ? Math.round((sent / total) * 100) : 0;
  return (
    <div className="progress" role="status" data-testid={testId} data-stage={testId && "uploading"}>
      <label htmlFor="upload-progress">
        Uploading {name}: {formatBytes(sent)} of {formatBytes(total)} ({percent}%)
      </label>
      <progress id="upload-progress" max={total} value={sent} />
      <button type="button" className="button secondary" onClick={onCancel}>
        Cancel upload
      </button>
    </div>
  );
}
