import { describe, expect, it } from "vitest";

import type { Transport } from "./api";
import { wizardApiOver } from "./wizard-api";

/** A transport that records each request and answers 200 with `{}`. */
function recording() {
  const sent: { method: string; path: string; body?: unknown }[] = [];
  const transport: Transport = async (path, init) => {
    sent.push({ method: init.method, path, ...(init.body === undefined ? {} : { body: JSON.parse(init.body) as unknown }) });
    return new Response("{}", { status: 200 });
  };
  return { sent, api: wizardApiOver(transport) };
}

const UPLOAD = "0123456789abcdef0123456789abcdef";
const AVATAR = "1796662942672abcdef012345";

describe("wizardApi", () => {
  it("spells every endpoint of the wizard in one place", async () => {
    const { sent, api } = recording();
    await api.startUpload({ contentType: "image/jpeg", size: 10, name: "a.jpg" });
    await api.finishUpload(UPLOAD);
    await api.finishUpload(UPLOAD, { previewInBrowser: true });
    await api.crop(UPLOAD, { left: 1, top: 2, width: 3, height: 3, rotation: 90 });
    await api.save(UPLOAD, AVATAR);
    await api.listAvatars();
    await api.listAvatars({ cursor: AVATAR, limit: 12 });
    await api.selectAvatar(AVATAR);
    await api.deleteAvatar(AVATAR);
    await api.deleteMyData();
    expect(sent).toEqual([
      { method: "POST", path: "/api/uploads", body: { contentType: "image/jpeg", size: 10, name: "a.jpg" } },
      { method: "POST", path: `/api/uploads/${UPLOAD}/finish` },
      { method: "POST", path: `/api/uploads/${UPLOAD}/finish`, body: { previewInBrowser: true } },
      { method: "POST", path: `/api/uploads/${UPLOAD}/crop`, body: { left: 1, top: 2, width: 3, height: 3, rotation: 90 } },
      { method: "POST", path: `/api/uploads/${UPLOAD}/save`, body: { cropId: AVATAR } },
      { method: "GET", path: "/api/avatars" },
      { method: "GET", path: `/api/avatars?cursor=${AVATAR}&limit=12` },
      { method: "POST", path: `/api/avatars/${AVATAR}/select` },
      { method: "DELETE", path: `/api/avatars/${AVATAR}` },
      { method: "DELETE", path: "/api/me/data" },
    ]);
  });

  it("never lets an id change the path", async () => {
    const { sent, api } = recording();
    await api.finishUpload("../../me/data");
    expect(sent[0]!.path).toBe("/api/uploads/..%2F..%2Fme%2Fdata/finish");
  });
});
