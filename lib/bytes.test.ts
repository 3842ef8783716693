import { describe, expect, it } from "vitest";

import { describeOverLimit, formatBytes } from "./bytes";

describe("bytes", () => {
  it("formats sizes for people", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MB");
    expect(formatBytes(12.34 * 1024 * 1024)).toBe("12.3 MB");
  });

  it("never says a file over the limit has the limit's size", () => {
    expect(describeOverLimit(12.34 * 1024 * 1024, 10 * 1024 * 1024)).toBe("is 12.3 MB; the limit is 10 MB.");
    expect(describeOverLimit(3 * 1024 * 1024 + 1, 3 * 1024 * 1024)).toBe("is 3,145,729 bytes; the limit is 3,145,728 bytes (3 MB).");
  });
});
