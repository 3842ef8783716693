/**
 * The one or two letters a default avatar shows (pure). Only A-Z and 0-9 after accents are
 * removed ("Élodie" gives "E"): the picture is drawn with whatever sans-serif font the server has,
 * which covers Latin for certain; a name with no such letter gets the identicon instead of a
 * missing glyph. Of an e-mail address only the part before the @ is used.
 */
export const INITIALS_PATTERN = /^[A-Z0-9]{1,2}$/;

export function initialsOf(displayName: string | null | undefined): string | undefined {
  if (!displayName) return undefined;
  const local = displayName.includes("@") ? displayName.slice(0, displayName.indexOf("@")) : displayName;
  const words = local
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return undefined;
  const first = words[0]!.charAt(0);
  const last = words.length > 1 ? words[words.length - 1]!.charAt(0) : "";
  return (first + last).toUpperCase();
}
