// Handshake patterns (Noise spec §7) as data, plus the pskN modifier (§9).
// handshake_state.ts interprets this table; no pattern has code of its own.

export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss' | 'psk';

export interface HandshakePattern {
  readonly name: string;
  /** Pre-message tokens: what each side's public keys the other already knows. */
  readonly initiatorPre: readonly Token[];
  readonly responderPre: readonly Token[];
  /** messages[i] is sent by the initiator when i is even, by the responder when odd. */
  readonly messages: readonly (readonly Token[])[];
  /** True when any psk modifier is present (then "e" also calls MixKey). */
  readonly psk: boolean;
}

type Base = Pick<HandshakePattern, 'initiatorPre' | 'responderPre' | 'messages'>;

const BASE: Readonly<Record<string, Base>> = {
  NN: { initiatorPre: [], responderPre: [], messages: [['e'], ['e', 'ee']] },
  NK: { initiatorPre: [], responderPre: ['s'], messages: [['e', 'es'], ['e', 'ee']] },
  KK: { initiatorPre: ['s'], responderPre: ['s'], messages: [['e', 'es', 'ss'], ['e', 'ee', 'se']] },
  XK: { initiatorPre: [], responderPre: ['s'], messages: [['e', 'es'], ['e', 'ee'], ['s', 'se']] },
  XX: { initiatorPre: [], responderPre: [], messages: [['e'], ['e', 'ee', 's', 'es'], ['s', 'se']] },
  IK: { initiatorPre: [], responderPre: ['s'], messages: [['e', 'es', 's', 'ss'], ['e', 'ee', 'se']] },
};

/** "IK", "IKpsk2", "XXpsk0+psk3", ... → the pattern, or null if unknown or malformed. */
export function lookupPattern(name: string): HandshakePattern | null {
  const m = /^([A-Z]+)(.*)$/.exec(name);
  const base = m && Object.hasOwn(BASE, m[1]!) ? BASE[m[1]!] : undefined;
  if (!m || !base) return null;
  const messages = base.messages.map((msg) => [...msg]);
  const mods = m[2] ? m[2].split('+') : [];
  for (const mod of mods) {
    const psk = /^psk(0|[1-9][0-9]*)$/.exec(mod);
    if (!psk) return null;
    const n = Number(psk[1]);
    if (n > messages.length) return null;
    if (n === 0) messages[0]!.unshift('psk');
    else messages[n - 1]!.push('psk');
  }
  return { name, initiatorPre: base.initiatorPre, responderPre: base.responderPre, messages, psk: mods.length > 0 };
}
