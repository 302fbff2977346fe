// The message transport the RPC client speaks over: whole text messages in and out, one close.
// Not a byte stream; framing and encryption belong to the implementation (noise_transport.ts).

export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

export interface Transport {
  /** Sends one message. Throws when the transport is closed or the message cannot be sent. */
  send(text: string): void;
  onMessage(cb: (text: string) => void): void;
  /** Called once, when the transport closes for any reason (also when registered after it closed). */
  onClose(cb: (info: CloseInfo) => void): void;
  close(): void;
}
