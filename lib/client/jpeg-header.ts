/**
 * The size and EXIF orientation a JPEG declares in its header (pure, no decode). The shrink worker
 * reads them from the file's first bytes to ask the browser for a smaller decode before the full
 * one (docs/decisions/crop-step-before-the-copy.md); the decoder's own answer is checked against
 * them, so a header this misreads only costs that shortcut.
 */
import type { Size } from "@/lib/images/crop-geometry";

export type JpegHeader = {
  /** As stored (before the orientation is applied). */
  stored: Size;
  /** EXIF orientation 1-8 (1 when there is none or it is not understood). */
  orientation: number;
};

/** How many of the file's first bytes to read: the EXIF segment is at most 64 KB, and other APPn segments may come before the frame. */
export const JPEG_HEADER_BYTES = 256 * 1024;

// Start of frame: C0-CF, except DHT (C4), JPG (C8) and DAC (CC).
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
// Markers without a length: TEM, RST0-7 (SOI is handled before the loop).
const standsAlone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

/** The header's size and orientation, or null when `bytes` is not a JPEG or ends before its frame header. */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let orientation = 1;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (standsAlone(marker)) {
      at += 2;
      continue;
    }
    const length = view.getUint16(at + 2);
    if (length < 2) return null;
    const end = at + 2 + length;
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) return null;
      const height = view.getUint16(at + 5);
      const width = view.getUint16(at + 7);
      return width > 0 && height > 0 ? { stored: { width, height }, orientation } : null;
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan or end before any frame header
    if (marker === 0xe1 && orientation === 1 && end <= bytes.length) orientation = exifOrientation(view, at + 4, end) ?? 1;
    at = end;
  }
  return null;
}

/** The orientation tag of IFD0 of an APP1 segment's data [start, end), when it is an EXIF one. */
function exifOrientation(view: DataView, start: number, end: number): number | undefined {
  const exif = [0x45, 0x78, 0x69, 0x66, 0, 0];
  if (end - start < 14 || exif.some((byte, i) => view.getUint8(start + i) !== byte)) return undefined;
  const tiff = start + 6;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return undefined;
  const little = order === 0x4949;
  if (view.getUint16(tiff + 2, little) !== 42) return undefined;
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > end) return undefined;
  const entries = view.getUint16(ifd, little);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return undefined;
    if (view.getUint16(entry, little) !== 0x0112) continue;
    const value = view.getUint16(entry + 8, little);
    return value >= 1 && value <= 8 ? value : undefined;
  }
  return undefined;
}

/** The size as shown: orientations 5-8 turn the picture a quarter, so its sides swap. */
export function displayedSize(header: JpegHeader): Size {
  const { width, height } = header.stored;
  return header.orientation >= 5 ? { width: height, height: width } : { width, height };
}

/**
 * The smallest decoded short side worth asking for, as a share of the shown picture's: a little
 * under it is upscaled unseen, and a JPEG of 4000 px is then decoded at 2/8 (1000 px), not 3/8.
 */
const SCALED_DECODE_SLACK = 0.9;

/**
 * The size to ask a JPEG decoder for (ImageDecoder's desiredWidth/-Height) so that it decodes at
 * n/8 of `displayed` (the DCT scaling of libjpeg; Chromium takes the largest n whose pixels fit the
 * size asked for), n the least that keeps the short side at least SCALED_DECODE_SLACK × `shortSide`;
 * null when that is the whole picture (n = 8: no shortcut).
 */
export function scaledDecodeSize(displayed: Size, shortSide: number): Size | null {
  const short = Math.min(displayed.width, displayed.height);
  const eighths = Math.max(1, Math.ceil((shortSide * SCALED_DECODE_SLACK * 8) / short));
  if (eighths >= 8) return null;
  // One pixel more on each side than n/8 (rounded up): its area is then surely within n/8's, never n+1's.
  const scaled = (side: number) => Math.ceil((side * eighths) / 8) + 1;
  return { width: scaled(displayed.width), height: scaled(displayed.height) };
}

/** Whether `decoded` is `expected` at some scale, to within the rounding of one pixel (a quarter turn is not). */
export function sameShape(decoded: Size, expected: Size): boolean {
  return Math.abs(decoded.width * expected.height - decoded.height * expected.width) <= Math.max(expected.width, expected.height);
}

/**
 * Whether a decoded frame's turn and mirror (WebCodecs VideoFrame `rotation`, clockwise, and `flip`)
 * are EXIF `orientation`'s: a decoder that reports them applies them when the frame is drawn, and
 * one that does not report them cannot be trusted to.
 */
export function frameHasOrientation(orientation: number, frame: { rotation?: unknown; flip?: unknown }): boolean {
  const turns = [0, 0, 0, 180, 180, 90, 90, 270, 270];
  const flips = [false, false, true, false, true, true, false, true, false];
  if (orientation === 1) return true;
  return frame.rotation === turns[orientation] && frame.flip === flips[orientation];
}
