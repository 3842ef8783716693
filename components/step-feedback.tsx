import type { StepProblem } from "@/lib/client/api";

/**
 * What a wizard step is doing (a live status) and what went wrong (an alert), in the same place on
 * every step. A failure from the server carries its request's reference, for support.
 */
export function StepFeedback({ working, error }: { working?: string | false; error?: string | StepProblem | null }) {
  const problem = typeof error === "string" ? { message: error } : error;
  return (
    <>
      {working && (
        <p role="status" className="progress">
          {working}
        </p>
      )}
      {problem && (
        <p role="alert" className="error" data-error-code={problem.code} data-request-id={problem.requestId}>
          {problem.message}
          {problem.requestId && <small className="hint"> (reference {problem.requestId})</small>}
        </p>
      )}
    </>
  );
}
