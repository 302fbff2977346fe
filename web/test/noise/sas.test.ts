// SAS definition: SHA-256("tether-sas/1" || h), first 8 bytes big-endian, mod 10^6, 6 digits.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sasFromHandshakeHash } from '../../src/noise';
import { ikPair } from './helpers';

const reference = (h: Uint8Array): string => {
  const d = createHash('sha256').update('tether-sas/1').update(h).digest();
  return (d.readBigUInt64BE(0) % 1000000n).toString().padStart(6, '0');
};

describe('SAS', () => {
  it('matches the definition, with leading zeros kept', async () => {
    let sawLeadingZero = false;
    for (let i = 0; i < 200; i++) {
      const h = new Uint8Array(32).fill(i);
      const sas = await sasFromHandshakeHash(h);
      expect(sas).toMatch(/^\d{6}$/);
      expect(sas).toBe(reference(h));
      sawLeadingZero ||= sas.startsWith('0');
    }
    expect(sawLeadingZero).toBe(true);
  });

  it('is identical on both ends and differs across handshakes', async () => {
    const one = await ikPair();
    const two = await ikPair();
    expect(one.phone.sas).toBe(one.daemon.sas);
    expect(two.phone.sas).toBe(two.daemon.sas);
    expect(one.phone.handshakeHash).toEqual(one.daemon.handshakeHash);
    expect(one.phone.sas).not.toBe(two.phone.sas);
  });
});
