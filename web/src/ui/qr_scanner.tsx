// The camera view of the Pair screen: asks for the rear camera, reads a few frames a second
// until one holds a tether pairing link, and hands its offer up. The camera is released on
// success, on Cancel and when the view goes away.

import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { pageBaseOf, type OfferResult } from '../host/offer';
import { openQrReader, scanFrame, type QrReader } from '../host/qr_decode';
import './qr_scanner.css';

/** Time between two frames read. */
const FRAME_INTERVAL_MS = 250;
/** Frames are scaled down to at most this many pixels a side before decoding. */
const MAX_SIDE = 800;

type ScanState =
  | { kind: 'starting' }
  | { kind: 'scanning'; hint: string | null }
  | { kind: 'error'; message: string };

const OTHER_WAYS = 'Open the link that tether pair prints on this device, or paste it here instead.';

/** Why there is no camera, in words: `navigator.mediaDevices` is missing, or getUserMedia failed. */
export function cameraErrorMessage(error: unknown, secureContext: boolean): string {
  if (error === 'no-api') {
    return secureContext
      ? `This browser gives web pages no camera access. ${OTHER_WAYS}`
      : `The camera is only available to pages served over https or from localhost, and this page is not. ${OTHER_WAYS}`;
  }
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Camera access was denied. Allow the camera for this site in the browser's settings and try again, or: ${OTHER_WAYS}`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No camera was found on this device. ${OTHER_WAYS}`;
    case 'NotReadableError':
    case 'AbortError':
      return `The camera could not be started: another app may be using it. ${OTHER_WAYS}`;
    default:
      return `The camera could not be started${name ? ` (${name})` : ''}. ${OTHER_WAYS}`;
  }
}

export function QrScanner({ onOffer, onCancel }: { onOffer: (offer: OfferResult) => void; onCancel: () => void }) {
  const state = useSignal<ScanState>({ kind: 'starting' });
  const video = useRef<HTMLVideoElement>(null);
  const stopRef = useRef<() => void>(() => {});
  const onOfferRef = useRef(onOffer);
  onOfferRef.current = onOffer;

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
      stream = null;
      if (video.current) video.current.srcObject = null;
    };
    stopRef.current = stop;
    const fail = (message: string) => {
      if (stopped) return;
      stop();
      state.value = { kind: 'error', message };
    };

    const run = async () => {
      const media = navigator.mediaDevices;
      if (!media || typeof media.getUserMedia !== 'function') return fail(cameraErrorMessage('no-api', window.isSecureContext));
      // The decoder loads while the person answers the camera prompt.
      const readerP = openQrReader();
      readerP.catch(() => {});
      try {
        stream = await media.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      } catch (e) {
        return fail(cameraErrorMessage(e, window.isSecureContext));
      }
      if (stopped) return stop(); // went away while the prompt was open
      let reader: QrReader;
      try {
        reader = await readerP;
      } catch {
        return fail('The QR code reader could not be loaded. Check the connection and try again.');
      }
      const v = video.current;
      if (stopped || !v) return stop();
      v.muted = true;
      v.srcObject = stream;
      await v.play().catch(() => {}); // a muted inline video may play; frames are read either way
      if (stopped) return;
      state.value = { kind: 'scanning', hint: null };

      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) return fail('This browser cannot read camera frames (no 2D canvas).');
      const tick = async () => {
        if (stopped) return;
        if (v.readyState >= v.HAVE_CURRENT_DATA && v.videoWidth > 0 && v.videoHeight > 0) {
          const scale = Math.min(1, MAX_SIDE / Math.max(v.videoWidth, v.videoHeight));
          const w = Math.round(v.videoWidth * scale);
          const h = Math.round(v.videoHeight * scale);
          if (canvas.width !== w || canvas.height !== h) {
            canvas.width = w;
            canvas.height = h;
          }
          ctx.drawImage(v, 0, 0, w, h);
          const found = await scanFrame(reader, ctx.getImageData(0, 0, w, h), pageBaseOf(location)).catch(() => null); // an unreadable frame: the next one
          if (stopped) return;
          if (found?.kind === 'offer') {
            stop();
            onOfferRef.current(found.offer);
            return;
          }
          if (found?.kind === 'other' && state.peek().kind === 'scanning') state.value = { kind: 'scanning', hint: found.message };
        }
        timer = setTimeout(() => void tick(), FRAME_INTERVAL_MS);
      };
      void tick();
    };
    void run();
    return stop;
  }, []);

  const s = state.value;
  return (
    <section class="stack qr-scanner" aria-labelledby="qr-title">
      <h2 id="qr-title">Scan the QR code</h2>
      {s.kind !== 'error' && (
        <div class="qr-view">
          <video ref={video} class="qr-video" playsInline muted autoPlay aria-label="Camera view" />
          <div class="qr-target" aria-hidden="true" />
        </div>
      )}
      {s.kind === 'error' ? (
        <p class="error" role="alert">
          {s.message}
        </p>
      ) : (
        <p class="qr-status" role="status" aria-live="polite">
          {s.kind === 'starting'
            ? 'Starting the camera…'
            : (s.hint ?? 'Scanning… Point the camera at the QR code that tether pair shows on your computer.')}
        </p>
      )}
      <div class="actions">
        <button
          class="button"
          type="button"
          onClick={() => {
            stopRef.current();
            onCancel();
          }}
        >
          Cancel
        </button>
      </div>
    </section>
  );
}
