// Transport over an established tether Channel: replay, reorder, drop, bit flips,
// truncation and size limits all fail and close the channel.

import { describe, expect, it } from 'vitest';
import { MAX_PLAINTEXT, Reassembler, splitMessage, type Channel } from '../../src/noise';
import { ikPair, sameBytes } from './helpers';

const msg = (i: number) => new Uint8Array([i, i + 1, i + 2, i + 3]);

async function seal(ch: Channel, pt: Uint8Array): Promise<Uint8Array> {
  const r = await ch.encrypt(pt);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('Channel', () => {
  it('round trips in both directions', async () => {
    const { phone, daemon, phoneKey, daemonKey } = await ikPair();
    expect(phone.remoteStatic).toEqual(daemonKey.publicKey);
    expect(daemon.remoteStatic).toEqual(phoneKey.publicKey);
    for (let i = 0; i < 5; i++) {
      expect(await daemon.decrypt(await seal(phone, msg(i)))).toEqual({ ok: true, value: msg(i) });
      expect(await phone.decrypt(await seal(daemon, msg(i + 10)))).toEqual({ ok: true, value: msg(i + 10) });
    }
  });

  it('rejects a replayed message and is dead after', async () => {
    const { phone, daemon } = await ikPair();
    const c0 = await seal(phone, msg(0));
    expect((await daemon.decrypt(c0)).ok).toBe(true);
    expect(await daemon.decrypt(c0)).toEqual({ ok: false, error: 'bad_mac' });
    expect(await daemon.decrypt(await seal(phone, msg(1)))).toEqual({ ok: false, error: 'dead' });
  });

  it('rejects reordered messages', async () => {
    const { phone, daemon } = await ikPair();
    const c0 = await seal(phone, msg(0));
    const c1 = await seal(phone, msg(1));
    expect(await daemon.decrypt(c1)).toEqual({ ok: false, error: 'bad_mac' });
    expect(await daemon.decrypt(c0)).toEqual({ ok: false, error: 'dead' });
  });

  it('rejects the message after a dropped one', async () => {
    const { phone, daemon } = await ikPair();
    await seal(phone, msg(0)); // dropped
    expect(await daemon.decrypt(await seal(phone, msg(1)))).toEqual({ ok: false, error: 'bad_mac' });
  });

  it('rejects a bit flip in the body (first byte) and in the tag (last byte)', async () => {
    for (const where of ['first', 'last'] as const) {
      const { phone, daemon } = await ikPair();
      const c = await seal(phone, msg(0));
      c[where === 'first' ? 0 : c.length - 1]! ^= 0x80;
      expect(await daemon.decrypt(c)).toEqual({ ok: false, error: 'bad_mac' });
    }
  });

  it('rejects a message truncated to every shorter length', async () => {
    const { phone, daemon } = await ikPair();
    const c = await seal(phone, new Uint8Array(20).fill(7));
    for (let n = 0; n < c.length; n++) {
      const pair = n === 0 ? { phone, daemon } : await ikPair();
      const cn = n === 0 ? c : await seal(pair.phone, new Uint8Array(20).fill(7));
      const r = await pair.daemon.decrypt(cn.subarray(0, n));
      expect(r.ok ? 'ok' : r.error, `length ${n}`).toBe(n < 16 ? 'wrong_length' : 'bad_mac');
    }
  });

  it('limits Noise messages to 65535 bytes', async () => {
    const { phone, daemon } = await ikPair();
    expect(await phone.encrypt(new Uint8Array(MAX_PLAINTEXT + 1))).toEqual({ ok: false, error: 'too_large' });
    const full = await seal(phone, new Uint8Array(MAX_PLAINTEXT));
    expect(full.length).toBe(65535);
    expect((await daemon.decrypt(full)).ok).toBe(true);
    expect(await daemon.decrypt(new Uint8Array(65536))).toEqual({ ok: false, error: 'too_large' });
  });

  it('carries a framed 1 MiB application message', async () => {
    const { phone, daemon } = await ikPair();
    const app = new Uint8Array(1 << 20).map((_, i) => i * 31);
    const r = new Reassembler();
    let out: Uint8Array | null = null;
    for (const chunk of splitMessage(app)) {
      const pt = await daemon.decrypt(await seal(phone, chunk));
      if (!pt.ok) throw new Error(pt.error);
      const got = r.push(pt.value);
      if (!got.ok) throw new Error(got.error);
      out = got.value;
    }
    expect(sameBytes(out, app)).toBe(true);
  });
});
