import { describe, expect, it } from "vitest";

import { cameraProblemMessage, cameraSupport, canRetry, classifyCameraError, type CameraProblem } from "./camera";

describe("cameraSupport", () => {
  it("needs a secure context before anything else", () => {
    expect(cameraSupport({ isSecureContext: false, hasGetUserMedia: false })).toBe("insecure");
    expect(cameraSupport({ isSecureContext: false, hasGetUserMedia: true })).toBe("insecure");
  });
  it("tells a browser without getUserMedia from one that has it", () => {
    expect(cameraSupport({ isSecureContext: true, hasGetUserMedia: false })).toBe("unsupported");
    expect(cameraSupport({ isSecureContext: true, hasGetUserMedia: true })).toBe("ok");
  });
});

describe("classifyCameraError", () => {
  const named = (name: string) => Object.assign(new Error("x"), { name });
  it.each([
    ["NotAllowedError", "denied"],
    ["PermissionDeniedError", "denied"],
    ["SecurityError", "denied"],
    ["NotFoundError", "no-camera"],
    ["DevicesNotFoundError", "no-camera"],
    ["OverconstrainedError", "no-camera"],
    ["NotReadableError", "busy"],
    ["AbortError", "busy"],
    ["TypeError", "failed"],
  ] as const)("%s is %s", (name, problem) => {
    expect(classifyCameraError(named(name))).toBe(problem);
  });
  it("copes with something that is not an error", () => {
    expect(classifyCameraError(undefined)).toBe("failed");
    expect(classifyCameraError("NotAllowedError")).toBe("failed");
  });
});

describe("cameraProblemMessage", () => {
  const problems: CameraProblem[] = ["denied", "no-camera", "insecure", "unsupported", "busy", "failed"];
  it("says what happened and offers the file picker for every problem", () => {
    for (const problem of problems) expect(cameraProblemMessage(problem), problem).toMatch(/choose a file instead\.$/);
    expect(cameraProblemMessage("denied")).toMatch(/^Camera permission was denied\. .*allow the camera/);
    expect(cameraProblemMessage("no-camera")).toMatch(/^No camera was found/);
    expect(cameraProblemMessage("insecure")).toContain("HTTPS");
  });
  it("offers to try again only where it can help", () => {
    expect(problems.filter(canRetry)).toEqual(["denied", "no-camera", "busy", "failed"]);
  });
});
