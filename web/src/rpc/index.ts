// Public surface of the protocol client: JSON-RPC over a Transport, and the Noise transport.

export type { CloseInfo, Transport } from './transport';
export { RpcError, ErrorCode, type LocalErrorCode } from './rpc_error';
export { RpcClient, type CallOptions, type RpcClientOptions, type IgnoredCounts } from './rpc_client';
export {
  noiseTransport,
  type BinarySocket,
  type NoiseTransportOptions,
  CLOSE_NORMAL,
  CLOSE_TEXT_FRAME,
  CLOSE_CHANNEL_DEAD,
} from './noise_transport';
