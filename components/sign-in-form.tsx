"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";

type Provider = { id: string; name: string };

export function SignInForm({ providers, callbackUrl, devProviderId }: { providers: Provider[]; callbackUrl: string; devProviderId: string }) {
  const [name, setName] = useState("");
  const [pending, setPending] = useState(false);
  const oauth = providers.filter((provider) => provider.id !== devProviderId);
  const dev = providers.some((provider) => provider.id === devProviderId);

  return (
    <div className="stack">
      {oauth.map((provider) => (
        <button key={provider.id} type="button" className="button" onClick={() => signIn(provider.id, { callbackUrl })}>
          Sign in with {provider.name}
        </button>
      ))}
      {dev && (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            setPending(true);
            void signIn(devProviderId, { name, callbackUrl });
          }}
        >
          <label htmlFor="dev-name">Name or e-mail (development sign-in, no password)</label>
          <input id="dev-name" name="name" required maxLength={64} autoComplete="username" value={name} onChange={(event) => setName(event.target.value)} />
          <button type="submit" className="button" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      )}
      {providers.length === 0 && (
        <p role="alert" className="error">
          No sign-in method is configured. Set AUTH_OIDC_ISSUER/AUTH_OIDC_ID/AUTH_OIDC_SECRET, AUTH_GITHUB_ID/AUTH_GITHUB_SECRET, AUTH_GOOGLE_ID/AUTH_GOOGLE_SECRET, or AUTH_DEV_LOGIN=true.
        </p>
      )}
    </div>
  );
}
