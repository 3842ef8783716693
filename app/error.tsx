"use client";

import { PageError } from "@/components/page-error";

/** A page that fails in the browser (under the site header) recovers by reloading itself. */
export default function PageErrorBoundary({ error }: { error: Error & { digest?: string } }) {
  return <PageError error={error} />;
}
