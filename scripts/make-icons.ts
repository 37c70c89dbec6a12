// Writes the installable app's icons (public/icons/*.png) from the design of app/icon.svg: a brand-blue disc with a
// white eye and a dark pupil (radii 15, 6 and 3 on a 32-unit square). Deterministic (the same bytes every run), no
// dependencies: the shapes are rasterized here with 4×4 supersampling and written as PNG with node:zlib.
// Run: node --import tsx scripts/make-icons.ts   (the PNGs are committed; run again only when the design changes)
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

type Rgba = [number, number, number, number];
const BRAND: Rgba = [0x22, 0x59, 0xc0, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const PUPIL: Rgba = [0x0b, 0x1f, 0x44, 255];
const CLEAR: Rgba = [0, 0, 0, 0];
/** Samples per pixel side. */
const SUPERSAMPLE = 4;

/** A picture as "the colour at (x, y)" in 32-unit design coordinates. */
type Design = (x: number, y: number) => Rgba;

const within = (x: number, y: number, r: number) => (x - 16) ** 2 + (y - 16) ** 2 <= r * r;

/** app/icon.svg: transparent outside the disc. */
const anyIcon: Design = (x, y) => (within(x, y, 3) ? PUPIL : within(x, y, 6) ? WHITE : within(x, y, 15) ? BRAND : CLEAR);
/** Maskable (the platform cuts its own shape): brand colour to every edge, the eye well inside the 80 % safe zone. */
const maskableIcon: Design = (x, y) => (within(x, y, 3) ? PUPIL : within(x, y, 6) ? WHITE : BRAND);
/** The notification badge (Android shows its alpha only): a white disc with the eye cut out and the pupil. */
const badgeIcon: Design = (x, y) => (within(x, y, 3) ? WHITE : within(x, y, 6) ? CLEAR : within(x, y, 15) ? WHITE : CLEAR);

function render(design: Design, size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied sums, so transparent samples do not darken the edges.
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = design(((px + (sx + 0.5) / SUPERSAMPLE) * 32) / size, ((py + (sy + 0.5) / SUPERSAMPLE) * 32) / size);
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const o = (py * size + px) * 4;
      pixels[o] = a ? Math.round(r / a) : 0;
      pixels[o + 1] = a ? Math.round(g / a) : 0;
      pixels[o + 2] = a ? Math.round(b / a) : 0;
      pixels[o + 3] = Math.round(a / n);
    }
  }
  return encodePng(pixels, size, size);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA, 8 bits per channel, filter 0 on every row. */
function encodePng(rgba: Buffer, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", zlib.deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

/** File name → design and size, px. The manifest (app/manifest.ts) and the service worker (public/sw.js) name them. */
const ICONS: Record<string, [Design, number]> = {
  "icon-192.png": [anyIcon, 192],
  "icon-512.png": [anyIcon, 512],
  "maskable-192.png": [maskableIcon, 192],
  "maskable-512.png": [maskableIcon, 512],
  "badge-96.png": [badgeIcon, 96],
};

const out = path.resolve(import.meta.dirname, "../public/icons");
fs.mkdirSync(out, { recursive: true });
for (const [name, [design, size]] of Object.entries(ICONS)) {
  const png = render(design, size);
  fs.writeFileSync(path.join(out, name), png);
  console.log(`${name}: ${size}×${size}, ${png.length} bytes`);
}
