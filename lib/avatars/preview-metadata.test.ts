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
