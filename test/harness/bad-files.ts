import { deflateSync } from "node:zlib";

import sharp from "sharp";

import { photoLike } from "./images";

/**
 * The hostile and broken corpus, made on the fly (no binaries in the repo). Each entry says what a
 * user must get: a clear error (HTTP status and error code of the finish check, or of the presign
 * when the browser announces it honestly) or a correct avatar.
 */
export type Outcome = { kind: "refused"; status: number; code: string; at: "presign" | "finish" } | { kind: "avatar" };

export type BadFile = { label: string; name: string; declaredType: string; bytes: Buffer; outcome: Outcome };

const refused = (status: number, code: string, at: "presign" | "finish" = "finish"): Outcome => ({ kind: "refused", status, code, at });

/** A valid PNG that declares width×height pixels of 1-bit grey: tiny on disk, gigapixels decoded. */
export function decompressionBombPng(width: number, height: number): Buffer {
  const crc32 = (buf: Buffer) => {
    let c = ~0;
    for (const byte of buf) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  // Only the first 64 rows of zeros are stored: the header alone promises the rest.
  const row = Buffer.alloc(1 + Math.ceil(width / 8));
  const idat = deflateSync(Buffer.concat(Array.from({ length: 64 }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

/** A GIF89a with `frames` 1×1 frames on a 16×16 screen, looping forever. */
export function manyFrameGif(frames: number): Buffer {
  const header = Buffer.from("GIF89a", "ascii");
  const screen = Buffer.from([16, 0, 16, 0, 0x80, 0, 0]); // global colour table of 2 colours
  const palette = Buffer.from([0, 0, 0, 255, 255, 255]);
  const loop = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from("NETSCAPE2.0", "ascii"), 0x03, 0x01, 0x00, 0x00, 0x00]);
  const frame = Buffer.from([
    0x21, 0xf9, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, // graphic control: 10 ms
    0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // 1×1 image at 0,0
    0x02, 0x02, 0x44, 0x01, 0x00, // LZW: one pixel of colour 1
  ]);
  return Buffer.concat([header, screen, palette, loop, ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}

export async function makeBadFiles(options: { maxBytes: number }): Promise<BadFile[]> {
  const photo = await photoLike(900, 700, 31);
  const jpeg = await sharp(photo).jpeg({ quality: 90 }).toBuffer();
  const zip = Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(26), Buffer.from("payload.txt"), Buffer.from("hidden zip payload")]);
  const rgba = await sharp(photo).ensureAlpha(0.6).raw().toBuffer({ resolveWithObject: true });

  return [
    { label: "a text file named .jpg", name: "notes.jpg", declaredType: "image/jpeg", bytes: Buffer.from("Dear diary, this is not a picture.\n".repeat(20)), outcome: refused(422, "not_an_image") },
    { label: "HTML with script, declared as PNG", name: "page.png", declaredType: "image/png", bytes: Buffer.from("<!doctype html><html><body><script>fetch('/api/avatars')</script></body></html>"), outcome: refused(422, "not_an_image") },
    {
      label: "SVG with script, declared honestly",
      name: "logo.svg",
      declaredType: "image/svg+xml",
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(document.cookie)</script><rect width="64" height="64"/></svg>'),
      outcome: refused(400, "bad_request", "presign"),
    },
    {
      label: "SVG with script, declared as PNG",
      name: "logo.png",
      declaredType: "image/png",
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(document.cookie)</script><rect width="64" height="64"/></svg>'),
      outcome: refused(422, "not_an_image"),
    },
    { label: "a PDF declared as JPEG", name: "scan.jpg", declaredType: "image/jpeg", bytes: Buffer.from("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), outcome: refused(422, "not_an_image") },
    { label: "a polyglot: valid JPEG with a ZIP appended", name: "poly-zip.jpg", declaredType: "image/jpeg", bytes: Buffer.concat([jpeg, zip]), outcome: { kind: "avatar" } },
    { label: "a polyglot: valid JPEG with HTML appended", name: "poly-html.jpg", declaredType: "image/jpeg", bytes: Buffer.concat([jpeg, Buffer.from("<html><script>alert(1)</script></html>")]), outcome: { kind: "avatar" } },
    { label: "a truncated JPEG", name: "cut.jpg", declaredType: "image/jpeg", bytes: jpeg.subarray(0, Math.floor(jpeg.length * 0.55)), outcome: refused(422, "corrupt_image") },
    { label: "a zero-byte file", name: "empty.jpg", declaredType: "image/jpeg", bytes: Buffer.alloc(0), outcome: refused(400, "bad_request", "presign") },
    { label: "a file over the size limit", name: "huge.jpg", declaredType: "image/jpeg", bytes: Buffer.alloc(options.maxBytes + 1, 0xff), outcome: refused(413, "file_too_large", "presign") },
    { label: "a decompression bomb (PNG declaring 50000×50000)", name: "bomb.png", declaredType: "image/png", bytes: decompressionBombPng(50_000, 50_000), outcome: refused(422, "image_too_large") },
    { label: "an animated GIF with 3000 frames", name: "frames.gif", declaredType: "image/gif", bytes: manyFrameGif(3000), outcome: { kind: "avatar" } },
    {
      label: "a JPEG with a huge EXIF block and GPS position",
      name: "exif.jpg",
      declaredType: "image/jpeg",
      bytes: await sharp(photo)
        .withExif({ IFD0: { ImageDescription: "x".repeat(60_000), Artist: "Jane Doe" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "48/1 51/1 24/1", GPSLongitudeRef: "E", GPSLongitude: "2/1 21/1 3/1" } })
        .jpeg()
        .toBuffer(),
      outcome: { kind: "avatar" },
    },
    { label: "a JPEG with an embedded ICC profile (Display P3)", name: "p3.jpg", declaredType: "image/jpeg", bytes: await sharp(photo).withIccProfile("p3").jpeg().toBuffer(), outcome: { kind: "avatar" } },
    { label: "a CMYK JPEG", name: "cmyk.jpg", declaredType: "image/jpeg", bytes: await sharp(photo).toColourspace("cmyk").jpeg().toBuffer(), outcome: { kind: "avatar" } },
    {
      label: "a 16-bit PNG with alpha",
      name: "deep.png",
      declaredType: "image/png",
      bytes: await sharp(rgba.data, { raw: { width: rgba.info.width, height: rgba.info.height, channels: 4 } }).toColourspace("rgb16").png().toBuffer(),
      outcome: { kind: "avatar" },
    },
    { label: "a greyscale JPEG", name: "grey.jpg", declaredType: "image/jpeg", bytes: await sharp(photo).greyscale().jpeg().toBuffer(), outcome: { kind: "avatar" } },
  ];
}
