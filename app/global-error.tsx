"use client";

import { PageError } from "@/components/page-error";

import "./globals.css";

/** A failure in the root layout itself: the same recovery, in a document of its own. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body>
        <main id="main">
          <PageError error={error} />
        </main>
      </body>
    </html>
  );
}
