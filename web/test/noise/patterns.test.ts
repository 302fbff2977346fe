// The pattern table: parsing and psk placement, and every pattern × cipher × hash run end to end.

import { describe, expect, it } from 'vitest';
import { HandshakeState, generateKeyPair, lookupPattern, resolveProtocol } from '../../src/noise';

describe('lookupPattern', () => {
  it('places psk tokens per the modifier', () => {
    expect(lookupPattern('IKpsk2')!.messages).toEqual([['e', 'es', 's', 'ss'], ['e', 'ee', 'se', 'psk']]);
    expect(lookupPattern('NNpsk0+psk2')!.messages).toEqual([['psk', 'e'], ['e', 'ee', 'psk']]);
    expect(lookupPattern('XXpsk3')!.messages[2]).toEqual(['s', 'se', 'psk']);
    expect(lookupPattern('IK')!.psk).toBe(false);
  });

  it('rejects unknown patterns and modifiers', () => {
    for (const n of ['', 'ik', 'IKpsk3', 'IKpsk', 'IKpsk01', 'IKfallback', 'toString', 'IKpsk0+', 'I1K']) {
      expect(lookupPattern(n), n).toBeNull();
    }
    expect(resolveProtocol('Noise_IK_25519_AESGCM_BLAKE2s')).toBeNull();
    expect(resolveProtocol('Noise_IK_25519_AESGCM')).toBeNull();
  });
});

const patterns = ['NN', 'NK', 'KK', 'XK', 'XX', 'IK', 'IKpsk2', 'NNpsk0', 'XXpsk3', 'KKpsk0+psk2'];
const suites = ['AESGCM_SHA256', 'ChaChaPoly_SHA256', 'AESGCM_SHA512'];

describe('every pattern round trips', () => {
  for (const pat of patterns) {
    for (const suite of suites) {
      const protocolName = `Noise_${pat}_25519_${suite}`;
      it(protocolName, async () => {
        const { pattern } = resolveProtocol(protocolName)!;
        const is = await generateKeyPair();
        const rs = await generateKeyPair();
        const psks = pattern.messages.flat().filter((t) => t === 'psk').map((_, i) => new Uint8Array(32).fill(i + 1));
        const needs = (pre: readonly string[], idx: number) =>
          pre.includes('s') || pattern.messages.some((m, i) => i % 2 === idx && m.includes('s'));
        const prologue = new Uint8Array([1, 2, 3]);
        const init = await HandshakeState.create({
          protocolName, initiator: true, prologue, psks,
          staticKey: needs(pattern.initiatorPre, 0) ? is : undefined,
          remoteStatic: pattern.responderPre.includes('s') ? rs.publicKey : undefined,
        });
        const resp = await HandshakeState.create({
          protocolName, initiator: false, prologue, psks,
          staticKey: needs(pattern.responderPre, 1) ? rs : undefined,
          remoteStatic: pattern.initiatorPre.includes('s') ? is.publicKey : undefined,
        });
        for (let i = 0; !init.isComplete; i++) {
          const [w, r] = i % 2 === 0 ? [init, resp] : [resp, init];
          const m = await w.writeMessage(new Uint8Array([i]));
          if (!m.ok) throw new Error(m.error);
          const p = await r.readMessage(m.value);
          expect(p.ok && [...p.value]).toEqual([i]);
        }
        expect(resp.isComplete).toBe(true);
        expect(init.handshakeHash()).toEqual(resp.handshakeHash());
        const a = await init.split();
        const b = await resp.split();
        if (!a.ok || !b.ok) throw new Error('split');
        const ct = await a.value.send.encryptWithAd(new Uint8Array(0), new Uint8Array([9]));
        const pt = ct.ok ? await b.value.recv.decryptWithAd(new Uint8Array(0), ct.value) : ct;
        expect(pt.ok && [...pt.value]).toEqual([9]);
      });
    }
  }
});
