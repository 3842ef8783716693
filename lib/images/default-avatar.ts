import { contrastRatio, hslToRgb, toHex, type Rgb } from "./contrast";

/**
 * The generated avatar of a user who has not saved one (pure): deterministic from the user id
 * (hex digits of HMACs, so its bytes are already evenly spread) and, when known, the initials. The
 * drawing is an SVG that lib/images/render-default.ts turns into WebP.
 */

export const MIN_TEXT_CONTRAST = 4.5;
/** Bumped whenever the drawing changes, so ETags of the old pictures stop matching. */
export const DEFAULT_AVATAR_VERSION = 1;

const FOREGROUND: Rgb = { r: 255, g: 255, b: 255 };
const GRID = 5;

export type DefaultAvatarDesign =
  | { kind: "initials"; initials: string; background: string; foreground: string }
  | { kind: "identicon"; cells: boolean[][]; background: string; foreground: string };

function idBytes(userId: string): number[] {
  const bytes = userId.match(/[0-9a-f]{2}/g);
  if (!bytes || bytes.length < 8) throw new Error("a default avatar needs a user id of hex digits");
  return bytes.map((pair) => parseInt(pair, 16));
}

/**
 * A colour from the id: any hue, moderate saturation, and the lightest lightness from which white
 * text still reaches MIN_TEXT_CONTRAST (yellows and greens have to get darker than blues).
 */
export function backgroundFor(userId: string): Rgb {
  const [b0, b1, b2, b3] = idBytes(userId) as [number, number, number, number];
  const hue = ((b0 << 8) | b1) % 360;
  const saturation = 0.45 + (b2 / 255) * 0.25;
  let lightness = 0.36 + (b3 / 255) * 0.08;
  let colour = hslToRgb(hue, saturation, lightness);
  while (contrastRatio(colour, FOREGROUND) < MIN_TEXT_CONTRAST + 0.05) {
    lightness -= 0.01;
    colour = hslToRgb(hue, saturation, lightness);
  }
  return colour;
}

/** A 5×5 pattern, mirrored left to right like GitHub's identicons; never empty. */
export function identiconCells(userId: string): boolean[][] {
  const bytes = idBytes(userId).slice(4);
  const bits = bytes.flatMap((byte) => Array.from({ length: 8 }, (_, i) => ((byte >> i) & 1) === 1));
  const half = Math.ceil(GRID / 2);
  const rows = Array.from({ length: GRID }, (_, row) => {
    const left = Array.from({ length: half }, (_, col) => bits[row * half + col]!);
    return [...left, ...left.slice(0, GRID - half).reverse()];
  });
  if (!rows.some((row) => row.some(Boolean))) rows[2]![2] = true;
  return rows;
}

export function defaultAvatarDesign(userId: string, initials?: string): DefaultAvatarDesign {
  const background = toHex(backgroundFor(userId));
  const foreground = toHex(FOREGROUND);
  if (initials && /^[A-Z0-9]{1,2}$/.test(initials)) return { kind: "initials", initials, background, foreground };
  return { kind: "identicon", cells: identiconCells(userId), background, foreground };
}

/** The design as an SVG of `size` pixels square. */
export function defaultAvatarSvg(design: DefaultAvatarDesign, size: number): string {
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">`;
  const background = `<rect width="100" height="100" fill="${design.background}"/>`;
  if (design.kind === "initials") {
    const fontSize = design.initials.length > 1 ? 42 : 52;
    const text =
      `<text x="50" y="50" dy="0.35em" text-anchor="middle" font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif" ` +
      `font-weight="700" font-size="${fontSize}" fill="${design.foreground}">${design.initials}</text>`;
    return `${open}${background}${text}</svg>`;
  }
  // A 5×5 grid inside a 10-unit margin: 16 units a cell.
  const cells = design.cells.flatMap((row, y) =>
    row.flatMap((on, x) => (on ? [`<rect x="${10 + x * 16}" y="${10 + y * 16}" width="16" height="16" fill="${design.foreground}"/>`] : [])),
  );
  return `${open}${background}${cells.join("")}</svg>`;
}
