/**
 * A real OpenID provider on loopback for the sign-in tests: `oidc-provider` (a certified
 * implementation) with its own login and consent pages (devInteractions: any login name is an
 * account, the password is not checked). Run as its own process by test/harness/oidc-provider.ts:
 *
 *   OIDC_PORT=4610 OIDC_CLIENT_ID=... OIDC_CLIENT_SECRET=... OIDC_REDIRECT_URIS=https://.../api/auth/callback/oidc \
 *     node --import tsx test/harness/oidc-provider-server.ts
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";

import Provider from "oidc-provider";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const port = Number(required("OIDC_PORT"));
const issuer = `http://127.0.0.1:${port}`;
const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: required("OIDC_CLIENT_ID"),
      client_secret: required("OIDC_CLIENT_SECRET"),
      redirect_uris: required("OIDC_REDIRECT_URIS").split(","),
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [{ ...signingKey, kid: "test-signing-key", use: "sig", alg: "RS256" }] },
  cookies: { keys: ["oidc-test-provider-cookie-key-0123456789"] },
  claims: { openid: ["sub"], profile: ["name", "preferred_username"], email: ["email", "email_verified"] },
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, name: `Test user ${sub}`, preferred_username: sub, email: `${sub}@example.test`, email_verified: true };
      },
    };
  },
  // Left at oidc-provider's default (conformIdTokenClaims): in the code flow the ID token carries
  // only `sub`, name and e-mail come from userinfo, as with Okta. The app must read them there.
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
});

const server = createServer(provider.callback());
server.listen(port, "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => server.close(() => process.exit(0)));
