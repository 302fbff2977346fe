// Reading QR codes from pixels: real codes (fixtures/, made by qrencode) drawn into RGBA and
// read by jsQR; a stand-in BarcodeDetector for the platform path, which node does not have.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { encodeBase64url } from '../../src/host/b64';
import { classifyQrText, NOT_A_PAIRING_LINK, openQrReader, scanFrame, type Pixels } from '../../src/host/qr_decode';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const k32 = (b: number) => encodeBase64url(new Uint8Array(32).fill(b));
const LINK = readFileSync(join(fixtures, 'pairing_link.url'), 'utf8').trim();
const PAGE = 'https://relay.example';
const OFFER = { v: 1, daemon_id: k32(1), noise_key: k32(2), relay: 'wss://relay.example', direct: '', secret: k32(3) };

/** A fixture's modules: true for dark. */
function modules(name: string): boolean[][] {
  const rows = readFileSync(join(fixtures, name), 'utf8').split('\n').filter((l) => l.length > 0);
  return rows.map((r) => Array.from({ length: r.length / 2 }, (_, i) => r[2 * i] === '#'));
}

/** The code drawn at `scale` pixels a module with a quiet zone, in the middle of a larger frame. */
function draw(m: boolean[][], { scale = 4, quiet = 4, pad = 20, inverted = false } = {}): Pixels {
  const side = (m.length + 2 * quiet) * scale;
  const width = side + 2 * pad;
  const height = side + 2 * pad + 30;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const mx = Math.floor((x - pad) / scale) - quiet;
      const my = Math.floor((y - pad) / scale) - quiet;
      const dark = (m[my]?.[mx] ?? false) !== inverted;
      const inCode = x >= pad && y >= pad && x < pad + side && y < pad + side;
      const v = inCode ? (dark ? 0 : 255) : inverted ? 0 : 255;
      data.fill(v, (y * width + x) * 4, (y * width + x) * 4 + 3);
    }
  }
  return { data, width, height };
}

function noise(width: number, height: number, seed = 7): Pixels {
  const data = new Uint8ClampedArray(width * height * 4);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = i % 4 === 3 ? 255 : s >>> 24;
  }
  return { data, width, height };
}

describe('openQrReader with jsQR (no BarcodeDetector)', () => {
  it('reads a pairing link drawn from a real QR code into its offer', async () => {
    const reader = await openQrReader({});
    expect(reader.via).toBe('jsqr');
    const frame = draw(modules('pairing_link.txt'));
    expect(await reader.read(frame)).toBe(LINK);
    expect(await scanFrame(reader, frame, PAGE)).toEqual({ kind: 'offer', offer: { ok: true, offer: OFFER, linkBase: PAGE } });
  });

  it('reads the negative code a light terminal theme makes of `tether pair`', async () => {
    const reader = await openQrReader({});
    expect(await reader.read(draw(modules('pairing_link.txt'), { inverted: true, scale: 3 }))).toBe(LINK);
  });

  it('says plainly that another QR code is not a pairing link', async () => {
    const reader = await openQrReader({});
    const found = await scanFrame(reader, draw(modules('not_tether.txt'), { scale: 6 }), PAGE);
    expect(found).toEqual({ kind: 'other', message: NOT_A_PAIRING_LINK });
    expect(NOT_A_PAIRING_LINK).toMatch(/not a tether pairing link/);
  });

  it('finds nothing in a blank frame or in noise', async () => {
    const reader = await openQrReader({});
    const blank = { data: new Uint8ClampedArray(320 * 240 * 4).fill(255), width: 320, height: 240 };
    expect(await scanFrame(reader, blank, PAGE)).toBeNull();
    expect(await scanFrame(reader, noise(320, 240), PAGE)).toBeNull();
  });

  it('is what node gets from globalThis, which has no BarcodeDetector', async () => {
    expect((await openQrReader()).via).toBe('jsqr');
  });
});

describe('openQrReader with the platform BarcodeDetector', () => {
  function stubDetector(formats: string[], detect: (image: unknown) => Promise<{ rawValue: string }[]>) {
    const made: { formats: string[] }[] = [];
    const BarcodeDetector = class {
      constructor(o: { formats: string[] }) {
        made.push(o);
      }
      static getSupportedFormats = async () => formats;
      detect = detect;
    };
    return { BarcodeDetector, made };
  }

  it('is chosen when it reads qr_code, and gets the frame', async () => {
    const detect = vi.fn(async () => [{ rawValue: LINK }]);
    const { BarcodeDetector, made } = stubDetector(['ean_13', 'qr_code'], detect);
    const reader = await openQrReader({ BarcodeDetector });
    expect(reader.via).toBe('barcode-detector');
    expect(made).toEqual([{ formats: ['qr_code'] }]);
    const frame = noise(8, 8);
    expect(await scanFrame(reader, frame, PAGE)).toEqual({ kind: 'offer', offer: { ok: true, offer: OFFER, linkBase: PAGE } });
    expect(detect).toHaveBeenCalledWith(frame);
  });

  it('wraps a frame that is only shaped like ImageData into one', async () => {
    class ImageData {
      constructor(
        readonly data: Uint8ClampedArray,
        readonly width: number,
        readonly height: number,
      ) {}
    }
    const detect = vi.fn(async (_image: unknown) => [] as { rawValue: string }[]);
    const { BarcodeDetector } = stubDetector(['qr_code'], detect);
    const reader = await openQrReader({ BarcodeDetector, ImageData });
    expect(await reader.read(noise(4, 2))).toBeNull();
    const passed = detect.mock.calls[0]![0];
    expect(passed).toBeInstanceOf(ImageData);
    expect(passed).toMatchObject({ width: 4, height: 2 });
  });

  it('is passed over when it does not read QR codes', async () => {
    const { BarcodeDetector } = stubDetector(['ean_13'], async () => []);
    expect((await openQrReader({ BarcodeDetector })).via).toBe('jsqr');
  });

  it('hands over to jsQR when it fails on a frame', async () => {
    const { BarcodeDetector } = stubDetector(['qr_code'], async () => {
      throw new DOMException('Barcode detection service unavailable.', 'NotSupportedError');
    });
    const reader = await openQrReader({ BarcodeDetector });
    expect(reader.via).toBe('barcode-detector');
    expect(await reader.read(draw(modules('pairing_link.txt')))).toBe(LINK);
    expect(reader.via).toBe('jsqr');
  });
});

describe('classifyQrText', () => {
  it('takes a link, a bare offer, and a broken pairing link as offers', () => {
    expect(classifyQrText(LINK, PAGE)).toEqual({ kind: 'offer', offer: { ok: true, offer: OFFER, linkBase: PAGE } });
    expect(classifyQrText(LINK.split('#offer=')[1]!, PAGE)).toEqual({ kind: 'offer', offer: { ok: true, offer: OFFER, linkBase: PAGE } });
    const broken = classifyQrText('https://relay.example/#offer=AAAA', PAGE);
    expect(broken.kind).toBe('offer');
    expect(broken.kind === 'offer' && broken.offer.ok).toBe(false);
  });

  it('turns down anything else', () => {
    for (const t of ['https://example.com/menu', 'WIFI:S:home;T:WPA;P:secret;;', 'hello', '']) {
      expect(classifyQrText(t, PAGE)).toEqual({ kind: 'other', message: NOT_A_PAIRING_LINK });
    }
  });
});
