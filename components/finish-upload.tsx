"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

import { ApiError, isAbortError } from "@/lib/client/api";
import { wizardApi } from "@/lib/client/wizard-api";

/** Shown when a reload lands between "uploaded to S3" and "checked": runs the check, then shows the crop step. */
export function FinishUpload({ uploadId }: { uploadId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const controller = new AbortController();
    wizardApi
      .finishUpload(uploadId, { signal: controller.signal })
      .then(() => router.refresh())
      .catch((caught: unknown) => {
        if (isAbortError(caught)) return;
        setError(caught instanceof ApiError ? caught.message : "Checking the picture failed. Please try again.");
      });
    return () => controller.abort();
  }, [uploadId, router]);

  return (
    <section className="card" aria-labelledby="finish-heading">
      <h2 id="finish-heading">Checking your picture</h2>
      {error ? (
        <>
          <p role="alert" className="error">
            {error}
          </p>
          <Link className="button" href="/avatar/new">
            Upload another picture
          </Link>
        </>
      ) : (
        <p role="status">Checking the picture…</p>
      )}
    </section>
  );
}
