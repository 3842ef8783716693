import { describe, expect, it } from "vitest";

import { displayedSizeFrom, factsFromPreviewMetadata, toPreviewMetadata, type UploadFacts } from "./preview-metadata";

describe("preview metadata", () => {
  const facts: UploadFacts = { displayed: { width: 3024, height: 4032 }, format: "jpeg", bytes: 2_345_678, preview: { width: 768, height: 1024 } };

  it("is S3 user metadata: string values under lower-case names", () => {
    const metadata = toPreviewMetadata(facts);
    for (const [name, value] of Object.entries(metadata)) {
      expect(name).toMatch(/^[a-z-]+$/);
      expect(typeof value).toBe("string");
    }
  });

  it("reads back what was written", () => {
    const metadata = toPreviewMetadata(facts);
    expect(factsFromPreviewMetadata(metadata)).toEqual(facts);
    expect(displayedSizeFrom(metadata)).toEqual(facts.displayed);
  });

  it("names the format unknown when it is missing", () => {
    const metadata = toPreviewMetadata(facts);
    delete metadata.format;
    expect(factsFromPreviewMetadata(metadata).format).toBe("unknown");
  });
});

describe("the suggested crop in the preview metadata", () => {
  const facts: UploadFacts = {
    displayed: { width: 3024, height: 4032 },
    format: "jpeg",
    bytes: 2_345_678,
    preview: { width: 768, height: 1024 },
    suggested: { left: 0, top: 700, width: 3024, height: 3024 },
  };

  it("is written as one short value and read back", () => {
    const metadata = toPreviewMetadata(facts);
    expect(metadata["suggested-crop"]).toBe("0,700,3024");
    expect(factsFromPreviewMetadata(metadata)).toEqual(facts);
  });

  it("is absent for uploads checked before it existed", () => {
    const metadata = toPreviewMetadata({ ...facts, suggested: undefined });
    expect(metadata).not.toHaveProperty("suggested-crop");
    expect(factsFromPreviewMetadata(metadata)).not.toHaveProperty("suggested");
  });

  it.each([["garbage"], ["1,2"], ["-1,0,10"], ["0,0,0"], ["1.5,0,10"], ["0,1100,3024"], ["1,0,3024"]])("is dropped when malformed or outside the picture: %s", (value) => {
    const metadata = { ...toPreviewMetadata(facts), "suggested-crop": value };
    expect(factsFromPreviewMetadata(metadata)).not.toHaveProperty("suggested");
  });
});
