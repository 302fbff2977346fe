// Public surface of tether's Noise implementation (Noise_IK_25519_AESGCM_SHA256, prologue tether/1).

export { type NoiseError, type Result, ok, err } from './result';
export {
  type KeyPair,
  type CipherFn,
  type HashFn,
  generateKeyPair,
  importPrivateKey,
  dh,
  AESGCM,
  CHACHAPOLY,
  SHA256,
  SHA512,
  DHLEN,
  TAGLEN,
} from './primitives';
export { CipherState, MAX_MESSAGE, MAX_PLAINTEXT } from './cipher_state';
export { type Token, type HandshakePattern, lookupPattern } from './patterns';
export { type Protocol, resolveProtocol, TETHER_PROTOCOL, TETHER_PROLOGUE } from './protocol';
export { HandshakeState, type HandshakeOptions, type TransportPair } from './handshake_state';
export { sasFromHandshakeHash } from './sas';
export { x25519OfEd25519 } from './x25519_of_ed25519';
export {
  splitMessage,
  Reassembler,
  type ReassemblerOptions,
  type FramingError,
  DEFAULT_MAX_MESSAGE,
  FIRST_CHUNK_DATA,
  CONT_CHUNK_DATA,
} from './framing';
export {
  Channel,
  initiatorIK,
  responderIK,
  type InitiatorIKOptions,
  type ResponderIKOptions,
  type PendingInitiator,
  type PendingResponder,
} from './channel';
