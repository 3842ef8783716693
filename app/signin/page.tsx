import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { SignInForm } from "@/components/sign-in-form";
import { DEV_PROVIDER_ID, enabledProviders } from "@/lib/auth/options";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { currentUser } from "@/lib/auth/session";
import { appOrigin } from "@/lib/http/app-origin";

export const dynamic = "force-dynamic";

/** next-auth's error codes (it sends them here: pages.error), in words a person can act on. */
const ERRORS: Record<string, string> = {
  CredentialsSignin: "That name was not accepted. Use letters, digits, spaces and @ . _ + - only (at most 64).",
  OAuthSignin: "The sign-in service could not be reached, so sign-in did not start. Please try again in a moment.",
  OAuthCallback: "Sign-in did not complete: the answer from the sign-in service was not valid or had expired. Please sign in again.",
  OAuthCreateAccount: "Sign-in did not complete. Please sign in again.",
  Callback: "Sign-in did not complete. Please sign in again.",
  OAuthAccountNotLinked: "That account cannot be used here. Please sign in with the method you used before.",
  AccessDenied: "Sign-in was cancelled or refused by the sign-in service.",
  Configuration: "Sign-in is not configured correctly on this server. Please tell the site's operator.",
  SessionRequired: "Please sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const requested = Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl;
  const callbackUrl = safeRedirectPath(requested, appOrigin(await headers()));
  if (await currentUser()) redirect(callbackUrl);
  const errorCode = Array.isArray(params.error) ? params.error[0] : params.error;
  const error = errorCode ? (ERRORS[errorCode] ?? "Sign-in failed. Please try again.") : undefined;
  const providers = enabledProviders();
  const devLogin = providers.some((provider) => provider.id === DEV_PROVIDER_ID);
  return (
    <section className="card narrow" aria-labelledby="signin-heading">
      <h1 id="signin-heading">Sign in</h1>
      {error && (
        <p role="alert" className="error" data-testid="signin-error">
          {error}
        </p>
      )}
      {devLogin && (
        <p className="warning" data-testid="dev-login-warning">
          The development sign-in is on: anyone can sign in as anyone, with any name and no password. Never leave it on
          where real people keep their avatars (AUTH_DEV_LOGIN).
        </p>
      )}
      <SignInForm providers={providers} callbackUrl={callbackUrl} devProviderId={DEV_PROVIDER_ID} />
    </section>
  );
}
