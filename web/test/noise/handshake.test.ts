// The tether IK handshake against hostile input: wrong keys, bit flips, truncation, bad
// state transitions, low-order points, oversize messages; and non-extractable keys.

import { describe, expect, it } from 'vitest';
import {
  HandshakeState,
  TETHER_PROLOGUE,
  TETHER_PROTOCOL,
  generateKeyPair,
  importPrivateKey,
  initiatorIK,
  responderIK,
  type KeyPair,
} from '../../src/noise';
import { hex } from './helpers';

const enc = new TextEncoder();

async function keys() {
  return { phone: await generateKeyPair(), daemon: await generateKeyPair() };
}

async function message1(phone: KeyPair, daemonPub: Uint8Array, payload?: Uint8Array) {
  const i = await initiatorIK({ staticKey: phone, remoteStatic: daemonPub, payload });
  if (!i.ok) throw new Error(i.error);
  return i.value;
}

async function message2(phone: KeyPair, daemon: KeyPair) {
  const pending = await message1(phone, daemon.publicKey);
  const r = await responderIK({ staticKey: daemon, message: pending.message });
  if (!r.ok) throw new Error(r.error);
  const a = await r.value.accept();
  if (!a.ok) throw new Error(a.error);
  return { pending, m2: a.value.message };
}

const flip = (m: Uint8Array, byte: number, bit = 0) => {
  const c = m.slice();
  c[byte]! ^= 1 << bit;
  return c;
};

describe('IK handshake', () => {
  it('works with non-extractable static keys and carries payloads both ways', async () => {
    const { phone, daemon } = await keys();
    expect(phone.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', phone.privateKey)).rejects.toThrow();
    const pending = await message1(phone, daemon.publicKey, enc.encode('hello'));
    expect(pending.message.length).toBe(32 + 48 + 5 + 16);
    const r = await responderIK({ staticKey: daemon, message: pending.message });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.remoteStatic).toEqual(phone.publicKey);
    expect(new TextDecoder().decode(r.value.payload)).toBe('hello');
    const a = await r.value.accept(enc.encode('welcome'));
    if (!a.ok) throw new Error(a.error);
    const f = await pending.finish(a.value.message);
    if (!f.ok) throw new Error(f.error);
    expect(new TextDecoder().decode(f.value.payload)).toBe('welcome');
    expect(f.value.channel.remoteStatic).toEqual(daemon.publicKey);
    expect(f.value.channel.sas).toBe(a.value.channel.sas);
  });

  it('importPrivateKey derives the right public key and stays non-extractable', async () => {
    // RFC 7748 §6.1 Alice.
    const kp = await importPrivateKey(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    expect(Buffer.from(kp.publicKey).toString('hex')).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(kp.privateKey.extractable).toBe(false);
  });

  it('fails message 1 at a responder with the wrong static key', async () => {
    const { phone, daemon } = await keys();
    const other = await generateKeyPair();
    const pending = await message1(phone, daemon.publicKey);
    expect(await responderIK({ staticKey: other, message: pending.message })).toEqual({ ok: false, error: 'bad_mac' });
  });

  it('fails on a bit flip anywhere in message 1 (ephemeral, static, tag)', async () => {
    const { phone, daemon } = await keys();
    const { message } = await message1(phone, daemon.publicKey);
    for (let i = 0; i < message.length; i++) {
      const r = await responderIK({ staticKey: daemon, message: flip(message, i, i % 8) });
      expect(r.ok, `byte ${i}`).toBe(false);
    }
  });

  it('fails on a bit flip anywhere in message 2', async () => {
    const { phone, daemon } = await keys();
    for (let i = 0; i < 48; i++) {
      const { pending, m2 } = await message2(phone, daemon);
      expect((await pending.finish(flip(m2, i, 7 - (i % 8)))).ok, `byte ${i}`).toBe(false);
    }
  });

  it('fails on message 1 truncated to every length, or extended', async () => {
    const { phone, daemon } = await keys();
    const { message } = await message1(phone, daemon.publicKey, enc.encode('p'));
    for (let n = 0; n < message.length; n++) {
      const r = await responderIK({ staticKey: daemon, message: message.subarray(0, n) });
      expect(r.ok ? 'ok' : r.error, `length ${n}`).toBe(n < 32 + 48 + 16 ? 'wrong_length' : 'bad_mac');
    }
    const longer = new Uint8Array(message.length + 1);
    longer.set(message);
    expect(await responderIK({ staticKey: daemon, message: longer })).toEqual({ ok: false, error: 'bad_mac' });
  });

  it('fails on message 2 truncated to every length', async () => {
    const { phone, daemon } = await keys();
    for (let n = 0; n < 48; n++) {
      const { pending, m2 } = await message2(phone, daemon);
      const r = await pending.finish(m2.subarray(0, n));
      expect(r.ok ? 'ok' : r.error, `length ${n}`).toBe('wrong_length');
    }
  });

  it('refuses low-order keys', async () => {
    const { phone, daemon } = await keys();
    const zero = new Uint8Array(32);
    expect(await initiatorIK({ staticKey: phone, remoteStatic: zero })).toEqual({ ok: false, error: 'bad_key' });
    const { message } = await message1(phone, daemon.publicKey);
    const m = message.slice();
    m.fill(0, 0, 32);
    expect(await responderIK({ staticKey: daemon, message: m })).toEqual({ ok: false, error: 'bad_key' });
  });

  it('enforces turn order and dies after a failure', async () => {
    const { phone, daemon } = await keys();
    const opts = { protocolName: TETHER_PROTOCOL, prologue: TETHER_PROLOGUE };
    const init = await HandshakeState.create({ ...opts, initiator: true, staticKey: phone, remoteStatic: daemon.publicKey });
    const resp = await HandshakeState.create({ ...opts, initiator: false, staticKey: daemon });
    expect(await resp.writeMessage()).toEqual({ ok: false, error: 'wrong_state' });
    expect(await init.readMessage(new Uint8Array(48))).toEqual({ ok: false, error: 'wrong_state' });
    expect(await init.split()).toEqual({ ok: false, error: 'wrong_state' });
    const m1 = await init.writeMessage();
    expect(await init.writeMessage()).toEqual({ ok: false, error: 'wrong_state' });
    if (!m1.ok) throw new Error(m1.error);
    expect(await resp.readMessage(flip(m1.value, 90))).toEqual({ ok: false, error: 'bad_mac' });
    expect(await resp.readMessage(m1.value)).toEqual({ ok: false, error: 'dead' });
    expect(await resp.writeMessage()).toEqual({ ok: false, error: 'dead' });
    expect(await resp.split()).toEqual({ ok: false, error: 'dead' });
  });

  it('refuses handshake messages above 65535 bytes', async () => {
    const { phone, daemon } = await keys();
    const big = await initiatorIK({ staticKey: phone, remoteStatic: daemon.publicKey, payload: new Uint8Array(65535 - 96 + 1) });
    expect(big).toEqual({ ok: false, error: 'too_large' });
    const fits = await initiatorIK({ staticKey: phone, remoteStatic: daemon.publicKey, payload: new Uint8Array(65535 - 96) });
    expect(fits.ok && fits.value.message.length).toBe(65535);
    expect(await responderIK({ staticKey: daemon, message: new Uint8Array(65536) })).toEqual({ ok: false, error: 'too_large' });
  });

  it('throws on configuration mistakes (our bugs, not the peer’s)', async () => {
    const { daemon } = await keys();
    const base = { protocolName: TETHER_PROTOCOL, initiator: true };
    await expect(HandshakeState.create({ ...base, remoteStatic: daemon.publicKey })).rejects.toThrow(/static key/);
    await expect(HandshakeState.create({ ...base, staticKey: daemon })).rejects.toThrow(/remote static/);
    await expect(HandshakeState.create({ ...base, protocolName: 'Noise_IK_448_AESGCM_SHA256' })).rejects.toThrow(/unsupported/);
    await expect(
      HandshakeState.create({ ...base, protocolName: 'Noise_IKpsk2_25519_AESGCM_SHA256', staticKey: daemon, remoteStatic: daemon.publicKey }),
    ).rejects.toThrow(/psk/);
  });
});
