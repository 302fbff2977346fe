// Short authentication string shown on both ends at pairing:
// d = SHA-256("tether-sas/1" || h), n = big-endian uint64 of d[0..8], SAS = n mod 10^6 as 6 digits.

import { ascii, bs, concat } from './bytes';

const LABEL = ascii('tether-sas/1');

export async function sasFromHandshakeHash(h: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bs(concat(LABEL, h))));
  const n = new DataView(d.buffer).getBigUint64(0, false);
  return (n % 1_000_000n).toString().padStart(6, '0');
}
