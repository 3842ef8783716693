import { ApiUser } from "@/test/harness/api-user";

import { plainJpeg } from "../support/pictures";

import { LB_ORIGIN } from "./config";
import { expect, test } from "./fixtures";

/**
 * The stable URL on several instances: each remembers what it read about a user for a few seconds
 * (lib/avatars/stable-lookups.ts), so a save through one instance is not seen by another's memory.
 * Its owner reads their own writes on every instance at once; anyone else within the lookup's lifetime.
 */
test("after a save through the cluster, every instance sends the owner to the new avatar at once, and then anyone", async ({ cluster }) => {
  const user = await ApiUser.signIn(`stable-${Date.now()}`, LB_ORIGIN);
  const cookie = await user.cookieHeader();
  const origins = cluster.instances().map((instance) => `http://127.0.0.1:${instance.spec.port}`);
  const ask = (origin: string, headers: Record<string, string> = {}) => fetch(`${origin}/avatars/${user.id}/64`, { redirect: "manual", headers });
  try {
    // Every instance now remembers "no avatar" for this user.
    for (const origin of origins) expect((await ask(origin)).headers.get("x-avatar"), origin).toBe("default");

    const { uploadId, state } = await user.uploadReady(await plainJpeg(640, 480, 7));
    const saved = await user.save(uploadId, await user.crop(uploadId, state.displayed));
    const newRendition = `/renditions/${saved.avatarId}/64.webp`;

    // Anyone else: the instance that saved knows; the others may still answer from memory.
    const strangers = await Promise.all(origins.map(async (origin) => ((await ask(origin)).status === 302 ? "new" : "remembered default")));
    console.log(`right after the save, anonymous answers per instance: ${strangers.join(", ")}`);
    expect(strangers).toContain("new");

    // The owner: the new avatar from every instance, at once.
    for (const origin of origins) {
      const own = await ask(origin, { cookie });
      expect(own.status, origin).toBe(302);
      expect(own.headers.get("location"), origin).toContain(newRendition);
    }
    // What the owner read is what each instance now remembers for everyone.
    for (const origin of origins) {
      const anyone = await ask(origin);
      expect(anyone.status, origin).toBe(302);
      expect(anyone.headers.get("location"), origin).toContain(newRendition);
    }
  } finally {
    await user.dispose();
  }
});
