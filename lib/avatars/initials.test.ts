import { describe, expect, it } from "vitest";

import { INITIALS_PATTERN, initialsOf } from "./initials";

describe("initials", () => {
  it("take the first letters of the first and last words", () => {
    expect(initialsOf("Ada Lovelace")).toBe("AL");
    expect(initialsOf("ada")).toBe("A");
    expect(initialsOf("Jean-Paul Marie Sartre")).toBe("JS");
    expect(initialsOf("  grace   hopper ")).toBe("GH");
  });

  it("use only the part of an e-mail address before the @", () => {
    expect(initialsOf("alice.smith@example.com")).toBe("AS");
    expect(initialsOf("bob@example.com")).toBe("B");
  });

  it("drop accents and refuse letters the server's font may not have", () => {
    expect(initialsOf("Élodie Ångström")).toBe("EA");
    expect(initialsOf("山田 太郎")).toBeUndefined();
    expect(initialsOf("😀")).toBeUndefined();
    expect(initialsOf("")).toBeUndefined();
    expect(initialsOf(null)).toBeUndefined();
    expect(initialsOf("<script>")).toBe("S");
  });

  it("always give something the profile schema accepts", () => {
    for (const name of ["x", "a b c d", "1 2", "o'neil", "ß straße", "ﬁx"]) {
      const initials = initialsOf(name);
      expect(initials === undefined || INITIALS_PATTERN.test(initials), `${name} -> ${initials}`).toBe(true);
    }
  });
});
