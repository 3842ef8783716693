import "server-only";

import { getEnv } from "@/lib/env";

import { isIssuedUserId } from "./user-id";

/** Whether this deployment issued the user id: its tag checks out with AUTH_USER_ID_KEY (lib/auth/user-id.ts). */
export function issuedUserId(userId: string): boolean {
  return isIssuedUserId(getEnv().AUTH_USER_ID_KEY, userId);
}
