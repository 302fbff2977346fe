// The one error type an RPC call rejects with: the daemon's JSON-RPC error, or a local failure
// (timeout, closed transport, send failure, bad reply) told apart by dataCode.

/** JSON-RPC and tether error codes (docs/protocol.md). */
export const ErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  permissionDenied: -32001,
  notFound: -32004,
  serverError: -32000,
} as const;

/** dataCode values the client itself produces; each comes with code -32000. */
export type LocalErrorCode = 'timeout' | 'closed' | 'send_failed' | 'bad_reply';

export class RpcError extends Error {
  override readonly name = 'RpcError';
  readonly code: number;
  /** error.data.code: a stable machine-readable string, when the daemon sent one. */
  readonly dataCode: string | undefined;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
    const dc = isObject(data) ? data['code'] : undefined;
    this.dataCode = typeof dc === 'string' ? dc : undefined;
  }

  /** A failure produced on this side of the connection. */
  static local(dataCode: LocalErrorCode, message: string): RpcError {
    return new RpcError(ErrorCode.serverError, message, { code: dataCode });
  }

  /** The `error` member of a reply, whatever shape it arrived in. */
  static fromReply(error: unknown): RpcError {
    if (!isObject(error)) return RpcError.local('bad_reply', 'the reply carried a malformed error');
    const code = typeof error['code'] === 'number' && Number.isInteger(error['code']) ? error['code'] : ErrorCode.serverError;
    const message = typeof error['message'] === 'string' ? error['message'] : 'error without a message';
    return new RpcError(code, message, error['data']);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
