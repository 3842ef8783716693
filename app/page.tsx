import Link from "next/link";

import { getCurrentAvatar } from "@/lib/avatars/current-avatar";
import { requireUserPage } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await requireUserPage("/");
  const avatar = await getCurrentAvatar(user.id);
  return (
    <section className="card" aria-labelledby="home-heading">
      <h1 id="home-heading">Hello, {user.name}</h1>
      {avatar ? (
        // eslint-disable-next-line @next/next/no-img-element -- presigned S3 URL
        <img className="avatar-large" src={avatar.urls[256]} alt="Your current avatar" width={256} height={256} />
      ) : (
        <p>You have no avatar yet.</p>
      )}
      <p>
        Your avatar is also at <code>/avatars/{user.id}/128</code> (sizes 64, 128, 256, 512), for any page or app.
      </p>
      <div className="actions">
        <Link className="button" href="/avatar/new">
          Change avatar
        </Link>
        <Link className="button secondary" href="/avatar/history">
          Earlier avatars
        </Link>
      </div>
    </section>
  );
}
