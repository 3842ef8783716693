import Link from "next/link";
import { connection } from "next/server";

import { getCurrentAvatar } from "@/lib/avatars/current-avatar";
import { placeholderStyle } from "@/lib/avatars/placeholder";
import { renditionSrcSet, stableAvatarSrcSet } from "@/lib/avatars/sizes";
import { currentUser } from "@/lib/auth/session";

import { SignOutButton } from "./sign-out-button";

/** Server component: reads the current avatar from S3 on every render, so a save shows at once. */
export async function SiteHeader() {
  await connection(); // per request, never prerendered: it depends on the session
  const user = await currentUser();
  const avatar = user ? await getCurrentAvatar(user.id).catch(() => null) : null;
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        avatar-relay
      </Link>
      {user && (
        <nav aria-label="Account" className="account">
          <Link href="/avatar/new">Change avatar</Link>
          <Link href="/avatar/history">History</Link>
          {avatar ? (
            // eslint-disable-next-line @next/next/no-img-element -- presigned S3 URLs, already the right sizes
            <img
              src={avatar.urls[64]}
              srcSet={renditionSrcSet(avatar.urls, 40)}
              alt="Your avatar"
              width={40}
              height={40}
              className="avatar-small"
              style={placeholderStyle(avatar.thumbHash)}
              data-testid="header-avatar"
              data-avatar-id={avatar.avatarId}
            />
          ) : (
            // The generated default, through the stable URL other pages use too.
            // eslint-disable-next-line @next/next/no-img-element -- drawn at the exact size by the app
            <img src={`/avatars/${user.id}/40`} srcSet={stableAvatarSrcSet(user.id, 40)} alt="Your avatar (generated)" width={40} height={40} className="avatar-small" data-testid="header-avatar-empty" />
          )}
          <span className="user-name">{user.name}</span>
          <SignOutButton />
        </nav>
      )}
    </header>
  );
}
