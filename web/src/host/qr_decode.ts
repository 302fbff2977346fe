// Reading a QR code out of one camera frame, and telling a tether pairing link from any other
// QR code. The platform's BarcodeDetector reads it where it knows QR codes; elsewhere jsQR
// does, loaded on first use into its own chunk. No camera and no DOM here: frames are pixels.

import { readOffer, type OfferResult } from './offer';

/** RGBA pixels, row by row: an `ImageData`, or anything shaped like one. */
export interface Pixels {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

export interface QrReader {
  /** Which decoder reads the frames. */
  readonly via: 'barcode-detector' | 'jsqr';
  /** The text of a QR code in the frame, or null when none is found. */
  read(frame: Pixels): Promise<string | null>;
}

/** The part of the Shape Detection API's BarcodeDetector used here. */
interface BarcodeDetectorLike {
  detect(image: unknown): Promise<readonly { rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

/** Where the platform's APIs are looked up: `globalThis`, or a stand-in for tests. */
export interface Platform {
  readonly BarcodeDetector?: unknown;
  readonly ImageData?: unknown;
}

export const NOT_A_PAIRING_LINK = 'This QR code is not a tether pairing link.';

/** The platform's QR reader, or null when it has none (no BarcodeDetector, or one without QR). */
async function barcodeDetectorIn(platform: Platform): Promise<BarcodeDetectorLike | null> {
  const BD = platform.BarcodeDetector as BarcodeDetectorClass | undefined;
  if (typeof BD !== 'function') return null;
  try {
    const formats = BD.getSupportedFormats ? await BD.getSupportedFormats() : ['qr_code'];
    if (!formats.includes('qr_code')) return null;
    return new BD({ formats: ['qr_code'] });
  } catch {
    return null;
  }
}

async function jsqrRead(): Promise<(frame: Pixels) => string | null> {
  const { default: jsQR } = await import('jsqr');
  // Both polarities: `tether pair` draws light modules on a terminal, which a light theme shows
  // as a negative of the usual code.
  return (frame) => jsQR(frame.data, frame.width, frame.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** An `ImageData` for BarcodeDetector when the frame is only shaped like one. */
function asImage(frame: Pixels, platform: Platform): unknown {
  const ID = platform.ImageData as (new (d: Uint8ClampedArray, w: number, h: number) => unknown) | undefined;
  if (typeof ID !== 'function' || frame instanceof ID) return frame;
  return new ID(frame.data, frame.width, frame.height);
}

/**
 * The reader for this platform: BarcodeDetector when it exists and lists 'qr_code', else jsQR.
 * A BarcodeDetector that fails on a frame (some Android builds lack its model) hands that frame
 * and every later one to jsQR.
 */
export async function openQrReader(platform: Platform = globalThis): Promise<QrReader> {
  const detector = await barcodeDetectorIn(platform);
  if (!detector) {
    const read = await jsqrRead();
    return { via: 'jsqr', read: async (frame) => read(frame) };
  }
  let fallback: ((frame: Pixels) => string | null) | null = null;
  const reader: { via: QrReader['via']; read: QrReader['read'] } = {
    via: 'barcode-detector',
    read: async (frame) => {
      if (fallback) return fallback(frame);
      try {
        const found = await detector.detect(asImage(frame, platform));
        return found.find((b) => typeof b.rawValue === 'string' && b.rawValue !== '')?.rawValue ?? null;
      } catch {
        fallback = await jsqrRead();
        reader.via = 'jsqr';
        return fallback(frame);
      }
    },
  };
  return reader;
}

export type Scanned =
  /** A pairing link: its offer, usable or not (the pair screen says why not). */
  | { kind: 'offer'; offer: OfferResult }
  /** Some other QR code. */
  | { kind: 'other'; message: string };

/**
 * What a QR code's text is: a tether pairing link (`…#offer=…`, or the bare offer, read
 * against `pageBase`, the base of a link to this page) or not.
 */
export function classifyQrText(text: string, pageBase: string): Scanned {
  const offer = readOffer(text, pageBase);
  if (offer.ok || text.includes('#offer=')) return { kind: 'offer', offer };
  return { kind: 'other', message: NOT_A_PAIRING_LINK };
}

/** Reads one frame: null when no QR code is in it. */
export async function scanFrame(reader: QrReader, frame: Pixels, pageBase: string): Promise<Scanned | null> {
  const text = await reader.read(frame);
  return text === null ? null : classifyQrText(text, pageBase);
}
