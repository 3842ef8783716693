import "server-only";

import { z } from "zod";

import { errorFields, log } from "@/lib/log";
import { processWide } from "@/lib/process-wide";
import { sessionsEndedKey } from "@/lib/storage/keys";
import { getObjectJson, putJson } from "@/lib/storage/objects";

import { sessionWasEnded, type SessionsEnded, type SignedIn } from "./session-token";

/**
 * Ending a user's other sessions, as far as JWT sessions allow: the tokens stay valid by signature,
 * so every instance checks a small record in S3 (sessions/<user>/ended.json) before it accepts one.
 * What an instance read is kept ENDED_TTL_MS (one S3 read per signed-in user per instance per
 * 30 s): the instance that ended the sessions refuses them at once, the others within 30 s.
 */
export const ENDED_TTL_MS = 30_000;
const MAX_REMEMBERED = 10_000;

const endedSchema = z.object({ version: z.literal(1), endedAt: z.number(), kept: z.string().optional() });
// Shared by the route handlers' copy of this module (which ends sessions) and the pages' (which check them).
const remembered = processWide("sessions-ended", () => new Map<string, { at: number; ended: SessionsEnded | null }>());

function remember(userId: string, ended: SessionsEnded | null, now: number): void {
  remembered.delete(userId);
  remembered.set(userId, { at: now, ended });
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
}

async function sessionsEnded(userId: string, now: number): Promise<SessionsEnded | null> {
  const entry = remembered.get(userId);
  if (entry && now - entry.at < ENDED_TTL_MS) return entry.ended;
  let stored: unknown;
  try {
    stored = await getObjectJson(sessionsEndedKey(userId));
  } catch (error) {
    // S3 unreachable: the page still renders (the header tolerates it too); whatever the session then
    // asks of S3 fails the same way, so nothing of the user's is reachable through it. Not remembered.
    log("warn", "whether the user's other sessions were ended could not be read; the session is accepted for this request", { ...errorFields(error) });
    return null;
  }
  const parsed = endedSchema.safeParse(stored);
  const ended = parsed.success ? parsed.data : null;
  remember(userId, ended, now);
  return ended;
}

export async function isSessionEnded(userId: string, signedIn: SignedIn, now = Date.now()): Promise<boolean> {
  return sessionWasEnded(signedIn, await sessionsEnded(userId, now));
}

/** Ends every session of the user signed in until now except `kept` (the caller's own). */
export async function endOtherSessions(userId: string, kept: string | undefined, now = Date.now()): Promise<void> {
  const ended: SessionsEnded = { version: 1, endedAt: now, kept };
  await putJson(sessionsEndedKey(userId), ended);
  remember(userId, ended, now);
}
