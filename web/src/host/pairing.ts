// Pairing by offer: a non-extractable device key (the one this browser already holds for
// that computer, so that pairing again replaces its earlier device there; else a fresh one),
// IK message 1 carrying {"pair": secret, "name": name}, and the daemon's answer. The device
// stays pending on the computer until both ends said the SAS codes match (confirmPairing);
// saving the host is the caller's call once they have.

import { generateKeyPair, type KeyPair } from '../noise';
import { RpcClient } from '../rpc';
import { decodeBase64url } from './b64';
import { describeEnd, openLink, type Dial, type Link, type LinkEnd } from './link';
import { endpointsFor, type Offer } from './offer';
import type { SavedHost } from './store';

export interface PairDeps {
  readonly dial: Dial;
  /** `location.origin`: endpoints on it come first (the CSP allows no other). */
  readonly pageOrigin: string;
  readonly generateKey?: () => Promise<KeyPair>;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  /** The key this browser holds for the offer's computer, if it was paired with it before. */
  readonly savedKey?: KeyPair;
}

export type PairResult =
  | { ok: true; host: SavedHost; link: Link; sas: string; via: 'relay' | 'direct' }
  | { ok: false; error: string; end?: LinkEnd };

export const MAX_NAME = 64;

/** The default label of a computer: its relay's or direct address's host name. */
export function defaultHostName(offer: Pick<Offer, 'relay' | 'direct' | 'daemon_id'>): string {
  for (const u of [offer.direct, offer.relay]) {
    if (!u) continue;
    try {
      const h = new URL(u).hostname;
      if (h && h !== '127.0.0.1' && h !== 'localhost' && h !== '[::1]') return h;
    } catch {
      /* parseOffer has checked it */
    }
  }
  return `computer ${offer.daemon_id.slice(0, 6)}`;
}

export async function pairWithOffer(
  offer: Offer,
  names: { device: string; host: string },
  deps: PairDeps,
): Promise<PairResult> {
  const device = names.device.trim();
  if (device === '' || device.length > MAX_NAME) return { ok: false, error: `The device name must be 1–${MAX_NAME} characters.` };
  const remoteStatic = decodeBase64url(offer.noise_key);
  if (!remoteStatic || remoteStatic.length !== 32) return { ok: false, error: 'The offer has a malformed key.' };
  let fresh: KeyPair;
  try {
    fresh = await (deps.generateKey ?? (() => generateKeyPair(false)))();
  } catch {
    return { ok: false, error: 'This browser cannot make an X25519 key (WebCrypto X25519 is needed).' };
  }
  let last: LinkEnd | undefined;
  // The saved key first; if the computer refuses it (revoked there), a fresh key pairs instead.
  for (const key of deps.savedKey ? [deps.savedKey, fresh] : [fresh]) {
    for (const ep of endpointsFor(offer, deps.pageOrigin)) {
      const r = await openLink({
        dial: deps.dial,
        url: ep.url,
        staticKey: key,
        remoteStatic,
        payload: { pair: offer.secret, name: device },
        timeoutMs: deps.timeoutMs,
      });
      if (r.ok) {
        const hello = r.link.hello;
        const host: SavedHost = {
          daemon_id: offer.daemon_id,
          name: names.host.trim().slice(0, MAX_NAME) || defaultHostName(offer),
          noise_key: offer.noise_key,
          relay: offer.relay,
          direct: offer.direct,
          device_id: hello.device_id,
          device_name: hello.name || device,
          mode: hello.mode,
          paired_at: (deps.now ?? Date.now)(),
          key,
        };
        return { ok: true, host, link: r.link, sas: r.link.sas, via: ep.via };
      }
      last = r.end;
      // Only a connection that never reached the daemon is worth another route: a refusal
      // or a broken answer came from the daemon (or someone posing as it) and is final.
      if (r.end.kind !== 'closed' && r.end.kind !== 'timeout') break;
    }
    if (last?.kind !== 'refused') break;
  }
  return { ok: false, error: last ? describeEnd(last) : 'The offer names no way to reach the computer.', end: last };
}

export type Confirmed = 'paired' | 'declined';

/**
 * This end's answer to the SAS comparison (pair.confirm on the pairing link). Resolves with
 * 'paired' once both ends said the codes match — at once, or when the computer's answer
 * comes (pair.changed) — and with 'declined' when either end said they differ, no one
 * answered in time, or the link ended first.
 */
export async function confirmPairing(link: Link, match: boolean, timeoutMs = 330_000): Promise<Confirmed> {
  const rpc = new RpcClient(link.transport, { defaultTimeoutMs: 20_000 });
  let settle: (c: Confirmed) => void = () => {};
  const settled = new Promise<Confirmed>((resolve) => (settle = resolve));
  const off = rpc.onNotification('pair.changed', (p) => {
    if ((p as { state?: unknown } | undefined)?.state === 'paired') settle('paired');
  });
  link.transport.onClose(() => settle('declined'));
  const timer = setTimeout(() => settle('declined'), timeoutMs);
  try {
    const r = await rpc.call<{ state?: string }>('pair.confirm', { match });
    if (r.state === 'paired') settle('paired');
    else if (r.state !== 'confirming') settle('declined');
  } catch {
    settle('declined');
  }
  const outcome = await settled;
  clearTimeout(timer);
  off();
  return outcome;
}
