import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { defaultAvatarDesign } from "./default-avatar";
import { renderDefaultAvatar } from "./render-default";

const user = "0123456789abcdef0123456789ab";

/** Share of pixels that are (nearly) white: the initials or the identicon's cells. */
async function whiteShare(webp: Buffer): Promise<number> {
  const { data, info } = await sharp(webp).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let white = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 230 && data[i + 1]! > 230 && data[i + 2]! > 230) white += 1;
  return white / (info.width * info.height);
}

describe("drawing the default avatar", () => {
  it("makes a WebP of exactly the size asked, for initials and identicons", async () => {
    for (const size of [16, 100, 512]) {
      for (const design of [defaultAvatarDesign(user, "AL"), defaultAvatarDesign(user)]) {
        expect(await sharp(await renderDefaultAvatar(design, size)).metadata()).toMatchObject({ format: "webp", width: size, height: size });
      }
    }
  });

  it("actually draws the initials (a server without a font would leave them blank)", async () => {
    const share = await whiteShare(await renderDefaultAvatar(defaultAvatarDesign(user, "AL"), 128));
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.5);
  });
});
