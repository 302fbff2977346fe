// The shared cacophony vectors, byte for byte: handshake messages, handshake hash, transport.

import { describe, expect, it } from 'vitest';
import { HandshakeState, importPrivateKey, resolveProtocol, type CipherState } from '../../src/noise';
import { hex, loadVectors, toHex, type Vector } from './helpers';

const vectors = loadVectors();

async function side(v: Vector, initiator: boolean): Promise<HandshakeState> {
  const p = initiator ? 'init_' : 'resp_';
  const get = (k: string) => (v as unknown as Record<string, string | string[] | undefined>)[p + k];
  const s = get('static') as string | undefined;
  const rs = get('remote_static') as string | undefined;
  const psks = get('psks') as string[] | undefined;
  return HandshakeState.create({
    protocolName: v.protocol_name,
    initiator,
    prologue: hex(get('prologue') as string),
    ephemeral: await importPrivateKey(hex(get('ephemeral') as string)),
    staticKey: s ? await importPrivateKey(hex(s)) : undefined,
    remoteStatic: rs ? hex(rs) : undefined,
    psks: psks?.map(hex),
  });
}

describe('cacophony vectors', () => {
  it('has the 10 expected vectors', () => {
    expect(vectors.map((v) => v.protocol_name)).toHaveLength(10);
  });

  for (const v of vectors) {
    it(v.protocol_name, async () => {
      const init = await side(v, true);
      const resp = await side(v, false);
      const hsLen = resolveProtocol(v.protocol_name)!.pattern.messages.length;
      let i = 0;
      for (; i < hsLen; i++) {
        const m = v.messages[i]!;
        const [w, r] = i % 2 === 0 ? [init, resp] : [resp, init];
        const ct = await w.writeMessage(hex(m.payload));
        expect(ct.ok && toHex(ct.value)).toBe(m.ciphertext);
        const pt = await r.readMessage(hex(m.ciphertext));
        expect(pt.ok && toHex(pt.value)).toBe(m.payload);
      }
      expect(toHex(init.handshakeHash())).toBe(v.handshake_hash);
      expect(toHex(resp.handshakeHash())).toBe(v.handshake_hash);
      const ti = await init.split();
      const tr = await resp.split();
      if (!ti.ok || !tr.ok) throw new Error('split failed');
      for (; i < v.messages.length; i++) {
        const m = v.messages[i]!;
        const [send, recv]: [CipherState, CipherState] = i % 2 === 0 ? [ti.value.send, tr.value.recv] : [tr.value.send, ti.value.recv];
        const ct = await send.encryptWithAd(new Uint8Array(0), hex(m.payload));
        expect(ct.ok && toHex(ct.value)).toBe(m.ciphertext);
        const pt = await recv.decryptWithAd(new Uint8Array(0), hex(m.ciphertext));
        expect(pt.ok && toHex(pt.value)).toBe(m.payload);
      }
    });
  }
});
