"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { ServedBy } from "@/components/served-by";
import { StepFeedback } from "@/components/step-feedback";

import { problemOf, type StepProblem } from "@/lib/client/api";
import { wizardApi } from "@/lib/client/wizard-api";

type Props = { uploadId: string; cropId: string; cropUrl: string };

export function SaveStep({ uploadId, cropId, cropUrl }: Props) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<StepProblem>();

  async function save() {
    if (pending) return; // a double click must not send a second save
    setPending(true);
    setError(undefined);
    try {
      const avatar = await wizardApi.save(uploadId, cropId);
      router.push(`/avatar/history?saved=${avatar.avatarId}`);
      router.refresh();
    } catch (caught) {
      setError(problemOf(caught, "Saving failed. Please try again."));
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="save-heading" className="card">
      <h2 id="save-heading">Save your new avatar</h2>
      {/* eslint-disable-next-line @next/next/no-img-element -- a presigned S3 URL, shown as is */}
      <img className="avatar-large" src={cropUrl} alt="Your cropped picture" width={256} height={256} data-testid="crop-result" />
      <div className="actions">
        <button type="button" className="button" onClick={save} disabled={pending}>
          {pending ? "Saving…" : "Save as my avatar"}
        </button>
        <Link className="button secondary" href={`/avatar/new/${uploadId}`}>
          Crop again
        </Link>
      </div>
      <StepFeedback working={pending && "Saving…"} error={error} />
      <ServedBy />
    </section>
  );
}
