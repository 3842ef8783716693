import { redirect } from "next/navigation";

import { SignInForm } from "@/components/sign-in-form";
import { DEV_PROVIDER_ID, enabledProviders } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** Only same-site paths: a callbackUrl must not send the user to another site after sign-in. */
function safeCallback(value: string | string[] | undefined): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return candidate && candidate.startsWith("/") && !candidate.startsWith("//") ? candidate : "/";
}

const ERRORS: Record<string, string> = {
  CredentialsSignin: "That name was not accepted. Use letters, digits, spaces and @ . _ + - only (at most 64).",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? (ERRORS[params.error] ?? "Sign-in failed. Please try again.") : undefined;
  return (
    <section className="card narrow" aria-labelledby="signin-heading">
      <h1 id="signin-heading">Sign in</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <SignInForm providers={enabledProviders()} callbackUrl={callbackUrl} devProviderId={DEV_PROVIDER_ID} />
    </section>
  );
}
