import { UploadStep } from "@/components/upload-step";
import { requireUserPage } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** Step 1; with UPLOAD_EARLY_CROP also step 2 while the file uploads (the URL then names the upload). */
export default async function NewAvatarPage() {
  await requireUserPage("/avatar/new");
  const env = getEnv();
  return (
    <>
      <h1>Change your avatar</h1>
      <UploadStep maxBytes={env.UPLOAD_MAX_BYTES} clientResize={env.UPLOAD_CLIENT_RESIZE} earlyCrop={env.UPLOAD_EARLY_CROP} />
    </>
  );
}
