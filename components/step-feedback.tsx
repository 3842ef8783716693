/** What a wizard step is doing (a live status) and what went wrong (an alert), in the same place on every step. */
export function StepFeedback({ working, error }: { working?: string | false; error?: string | null }) {
  return (
    <>
      {working && (
        <p role="status" className="progress">
          {working}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
