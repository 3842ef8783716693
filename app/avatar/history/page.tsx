import Link from "next/link";

import { DeleteMyData } from "@/components/delete-my-data";
import { HistoryList } from "@/components/history-list";
import { listAvatars } from "@/lib/avatars/history";
import { stableAvatarSrcSet } from "@/lib/avatars/sizes";
import { requireUserPage } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HistoryPage({ searchParams }: { searchParams: Promise<{ saved?: string; deleted?: string }> }) {
  const user = await requireUserPage("/avatar/history");
  const { saved, deleted } = await searchParams;
  const page = await listAvatars(user.id, { limit: 12 });
  return (
    <>
      <section className="card" aria-labelledby="history-heading">
        <h1 id="history-heading">Your avatars</h1>
        {saved && (
          <p role="status" className="notice">
            Your new avatar is saved.
          </p>
        )}
        {deleted && (
          <p role="status" className="notice">
            Your data is deleted: every avatar, the history, the current avatar and any upload in progress. Your other sessions are signed out.
          </p>
        )}
        {page.items.length === 0 && (
          // eslint-disable-next-line @next/next/no-img-element -- the generated default, drawn at the exact size by the app
          <img src={`/avatars/${user.id}/96`} srcSet={stableAvatarSrcSet(user.id, 96)} alt="Your avatar for now (generated)" width={96} height={96} data-testid="history-default-avatar" />
        )}
        {/* A fresh list after "delete my data": the list keeps its items in its own state. */}
        <HistoryList key={deleted ? "deleted" : "list"} initial={page} />
        <p>
          <Link href="/avatar/new">Upload a new picture</Link>
        </p>
      </section>
      <DeleteMyData />
    </>
  );
}
