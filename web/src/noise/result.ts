// Errors as values for the Noise layer: peer-caused failures come back as a Result,
// never as a thrown exception. Exceptions are reserved for our own misuse (bad config).

export type NoiseError =
  | 'bad_mac' // authentication failed (tampered, replayed, reordered, dropped, wrong key)
  | 'wrong_length' // message shorter than its fixed fields, or trailing/missing bytes
  | 'wrong_state' // call out of turn, or before/after the handshake
  | 'nonce_exhausted' // counter reached 2^64-1
  | 'dead' // an earlier failure killed this state
  | 'too_large' // a Noise message above 65535 bytes
  | 'bad_key'; // a public key that X25519 rejects (e.g. a low-order point)

export type Result<T, E = NoiseError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
