import "server-only";

import { createHash, timingSafeEqual } from "node:crypto";

import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * Who may read /api/metrics: nobody without METRICS_TOKEN (404, as for a route that does not exist,
 * so an instance with metrics off says nothing about them), and with it only a request carrying
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). The metrics are not per user, so the
 * user session plays no part.
 */
export function authorizeScrape(authorization: string | null): void {
  const token = getEnv().METRICS_TOKEN;
  if (!token) throw new AppError("not_found");
  if (!bearerTokenMatches(authorization, token)) throw new AppError("unauthorized", "A valid metrics token is required.");
}

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Whether the header is `Bearer <token>` (the scheme in any case, RFC 6750). The comparison is of
 * SHA-256 digests in constant time: equal lengths whatever was sent, so the time taken reveals
 * neither how much of the token a guess got right nor the token's length.
 */
export function bearerTokenMatches(authorization: string | null, token: string): boolean {
  const sent = /^bearer +(\S+)$/i.exec(authorization?.trim() ?? "")?.[1];
  const equal = timingSafeEqual(digest(sent ?? ""), digest(token));
  return sent !== undefined && equal;
}
