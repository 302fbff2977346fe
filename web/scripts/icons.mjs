// Draws the app's PNG icons (public/icons/) from the design of public/icon.svg: two rings
// joined by a bar, light blue on the dark slate of the theme colour. The PNGs are committed;
// run this only when the design changes. It writes them with node:zlib alone, and the pixels
// depend only on this file (plain arithmetic, no font or renderer).
//
// node scripts/icons.mjs          writes public/icons/*.png
// node scripts/icons.mjs --check  exits 1 unless the committed PNGs hold exactly these pixels

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '../public/icons');

const SLATE = [0x1f, 0x29, 0x33]; // theme-color, and the SVG's background
const BLUE = [0x7c, 0xc4, 0xfa]; // the SVG's strokes

/**
 * The icons: `any` ones are the SVG's rounded square on transparency; the maskable ones and
 * Apple's fill the square (the platform cuts its own shape), with the drawing kept well
 * inside the maskable safe zone (a centred circle of 40% of the size).
 */
const ICONS = [
  { name: 'icon-192.png', size: 192, fullBleed: false, scale: 1 },
  { name: 'icon-512.png', size: 512, fullBleed: false, scale: 1 },
  { name: 'maskable-192.png', size: 192, fullBleed: true, scale: 0.9 },
  { name: 'maskable-512.png', size: 512, fullBleed: true, scale: 0.9 },
  { name: 'apple-touch-icon.png', size: 180, fullBleed: true, scale: 1 },
];

// Signed distances in the SVG's 64×64 units (negative inside).
const len = (x, y) => Math.sqrt(x * x + y * y);

function roundedSquare(x, y) {
  const qx = Math.abs(x - 32) - 18;
  const qy = Math.abs(y - 32) - 18;
  return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - 14;
}

function ring(x, y, cx) {
  return Math.abs(len(x - cx, y - 32) - 7) - 2.5;
}

function bar(x, y) {
  const t = Math.min(Math.max(x, 27), 37);
  return len(x - t, y - 32) - 2.5;
}

const glyph = (x, y) => Math.min(ring(x, y, 20), ring(x, y, 44), bar(x, y));

/** Coverage of a pixel by a shape whose edge is `d` pixels away (one pixel of anti-aliasing). */
const cover = (d) => Math.min(Math.max(0.5 - d, 0), 1);

/** The icon's pixels: RGBA, or RGB when it fills the square. */
function render({ size, fullBleed, scale }) {
  const channels = fullBleed ? 3 : 4;
  const px = new Uint8Array(size * size * channels);
  const unit = size / 64; // pixels per design unit
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = ((i + 0.5) / size) * 64;
      const y = ((j + 0.5) / size) * 64;
      const g = cover(glyph(32 + (x - 32) / scale, 32 + (y - 32) / scale) * scale * unit);
      const o = (j * size + i) * channels;
      for (let c = 0; c < 3; c++) px[o + c] = Math.round(SLATE[c] + (BLUE[c] - SLATE[c]) * g);
      if (!fullBleed) px[o + 3] = Math.round(255 * cover(roundedSquare(x, y) * unit));
    }
  }
  return { size, channels, px };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGB or RGBA PNG, every row unfiltered (filter type 0). */
function encodePng({ size, channels, px }) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 4 ? 6 : 2; // colour type: RGBA or RGB
  const row = size * channels;
  const raw = Buffer.alloc((row + 1) * size);
  for (let j = 0; j < size; j++) raw.set(px.subarray(j * row, (j + 1) * row), j * (row + 1) + 1);
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** The pixels of a PNG this script wrote (8-bit RGB/RGBA, unfiltered rows); null for anything else. */
function decodePng(bytes) {
  if (!bytes.subarray(0, 8).equals(SIGNATURE)) return null;
  let ihdr = null;
  const idat = [];
  for (let o = 8; o + 12 <= bytes.length; ) {
    const n = bytes.readUInt32BE(o);
    const type = bytes.toString('latin1', o + 4, o + 8);
    const data = bytes.subarray(o + 8, o + 8 + n);
    if (crc32(bytes.subarray(o + 4, o + 8 + n)) !== bytes.readUInt32BE(o + 8 + n)) return null;
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    o += 12 + n;
  }
  if (!ihdr || ihdr[8] !== 8 || (ihdr[9] !== 2 && ihdr[9] !== 6)) return null;
  const size = ihdr.readUInt32BE(0);
  if (ihdr.readUInt32BE(4) !== size) return null;
  const channels = ihdr[9] === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const row = size * channels;
  if (raw.length !== (row + 1) * size) return null;
  const px = new Uint8Array(row * size);
  for (let j = 0; j < size; j++) {
    if (raw[j * (row + 1)] !== 0) return null;
    px.set(raw.subarray(j * (row + 1) + 1, (j + 1) * (row + 1)), j * row);
  }
  return { size, channels, px };
}

function main() {
  const check = process.argv.includes('--check');
  if (!check) mkdirSync(outDir, { recursive: true });
  let bad = 0;
  for (const icon of ICONS) {
    const want = render(icon);
    const path = join(outDir, icon.name);
    if (!check) {
      writeFileSync(path, encodePng(want));
      console.log(`icons: wrote ${path}`);
      continue;
    }
    let have = null;
    try {
      have = decodePng(readFileSync(path));
    } catch {
      have = null;
    }
    const same = have && have.size === want.size && have.channels === want.channels && Buffer.from(have.px).equals(Buffer.from(want.px));
    if (!same) {
      bad += 1;
      console.error(`icons: ${path} differs from what scripts/icons.mjs draws (run it to redraw)`);
    }
  }
  if (check) console.log(`icons: ${ICONS.length - bad} of ${ICONS.length} PNGs match`);
  process.exit(bad ? 1 : 0);
}

main();
