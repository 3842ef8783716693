import { CropStep } from "@/components/crop-step";
import { FinishUpload } from "@/components/finish-upload";
import { StepError } from "@/components/step-error";
import { WizardSteps } from "@/components/wizard-steps";
import { uploadIdSchema } from "@/lib/avatars/schemas";
import { getUploadState } from "@/lib/avatars/upload-state";
import { requireUserPage } from "@/lib/auth/session";
import { isAppError, type AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * Not in S3 (yet): with the early crop step the URL names the upload before its file has arrived,
 * so a reload during the upload lands here; so does an upload whose objects have expired.
 */
const INTERRUPTED = "That upload was not found: it was interrupted before the picture arrived, or it has expired. Please choose the file again.";

function describeMissing(state: AppError | undefined): string {
  if (!state) return "That upload link is not valid.";
  return state.code === "upload_not_found" ? INTERRUPTED : state.message;
}

/** Step 2. The URL names the upload; S3 says how far it got. A reload or another instance continues here. */
export default async function CropPage({ params }: { params: Promise<{ uploadId: string }> }) {
  const { uploadId } = await params;
  const user = await requireUserPage(`/avatar/new/${encodeURIComponent(uploadId)}`);
  const parsed = uploadIdSchema.safeParse(uploadId);
  const state = parsed.success ? await getUploadState(user.id, parsed.data).catch((error: unknown) => (isAppError(error) ? error : Promise.reject(error))) : undefined;

  return (
    <>
      <h1>Change your avatar</h1>
      <WizardSteps current={2} />
      {!state || isAppError(state) ? (
        <StepError message={describeMissing(state)} />
      ) : state.status === "uploaded" ? (
        <FinishUpload uploadId={state.uploadId} />
      ) : (
        <CropStep uploadId={state.uploadId} displayed={state.displayed} preview={state.preview} />
      )}
    </>
  );
}
