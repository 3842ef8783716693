import { UploadStep } from "@/components/upload-step";
import { WizardSteps } from "@/components/wizard-steps";
import { requireUserPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

export default async function NewAvatarPage() {
  await requireUserPage("/avatar/new");
  return (
    <>
      <h1>Change your avatar</h1>
      <WizardSteps current={1} />
      <UploadStep maxBytes={getEnv().UPLOAD_MAX_BYTES} />
    </>
  );
}
