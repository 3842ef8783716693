import { SaveStep } from "@/components/save-step";
import { StepError } from "@/components/step-error";
import { WizardSteps } from "@/components/wizard-steps";
import { getCrop } from "@/lib/avatars/crop";
import { avatarIdSchema, uploadIdSchema } from "@/lib/avatars/schemas";
import { requireUserPage } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Step 3: the crop is already in S3; this page only shows it and offers to save it. */
export default async function SavePage({ params }: { params: Promise<{ uploadId: string; cropId: string }> }) {
  const { uploadId, cropId } = await params;
  const user = await requireUserPage(`/avatar/new/${encodeURIComponent(uploadId)}/${encodeURIComponent(cropId)}`);
  const ids = uploadIdSchema.safeParse(uploadId).success && avatarIdSchema.safeParse(cropId).success;
  const crop = ids ? await getCrop(user.id, uploadId, cropId).catch((error: unknown) => (isAppError(error) ? error : Promise.reject(error))) : undefined;

  return (
    <>
      <h1>Change your avatar</h1>
      <WizardSteps current={3} />
      {!crop || isAppError(crop) ? (
        <StepError message={crop?.message ?? "That link is not valid."} />
      ) : (
        <SaveStep uploadId={crop.uploadId} cropId={crop.cropId} cropUrl={crop.url} />
      )}
    </>
  );
}
