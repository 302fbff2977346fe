"""A small WebSocket client (RFC 6455) on the standard library, for the relay tests:
handshake, masking, framing, ping/pong, close codes, optional TLS. It can also send
malformed things on purpose (raw frames, bad keys)."""
import base64
import hashlib
import os
import socket
import struct

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0, 1, 2, 8, 9, 10


class HandshakeError(Exception):
    def __init__(self, status, headers, body):
        super().__init__(f"HTTP {status}: {body!r}")
        self.status = status
        self.headers = headers
        self.body = body


class Closed(Exception):
    """The peer sent a close frame (code, reason) or the connection ended (None, None)."""

    def __init__(self, code=None, reason=""):
        super().__init__(f"closed: {code} {reason}")
        self.code = code
        self.reason = reason


def mask_bytes(data: bytes, key: bytes) -> bytes:
    n = len(data)
    if n == 0:
        return b""
    k = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(k, "little")).to_bytes(n, "little")


def read_http_head(sock, buf=b"", limit=65536):
    """Reads up to the blank line; returns (status, headers dict (lowercase), rest bytes)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise Closed(None, "connection closed before the HTTP answer")
        buf += chunk
        if len(buf) > limit:
            raise AssertionError("HTTP head too long")
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, rest


class WsClient:
    def __init__(self, port, path, host="127.0.0.1", tls=None, server_hostname=None, timeout=15,
                 key=None, extra_headers=(), auto_pong=True, source=None):
        self.auto_pong = auto_pong
        self.buf = b""
        self.close_code = None
        self.close_reason = ""
        self.sent_close = False
        # `source`: the local address to connect from (any of 127.0.0.0/8 on loopback).
        raw = socket.create_connection((host, port), timeout=timeout,
                                       source_address=(source, 0) if source else None)
        self.sock = tls.wrap_socket(raw, server_hostname=server_hostname or host) if tls else raw
        self.sock.settimeout(timeout)
        key = key if key is not None else base64.b64encode(os.urandom(16)).decode()
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n")
        for name, value in extra_headers:
            req += f"{name}: {value}\r\n"
        self.sock.sendall((req + "\r\n").encode())
        status, headers, rest = read_http_head(self.sock)
        if status != 101:
            body = rest
            length = int(headers.get("content-length", "0"))
            while len(body) < length:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                body += chunk
            self.sock.close()
            raise HandshakeError(status, headers, body)
        expected = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise AssertionError("bad Sec-WebSocket-Accept")
        self.buf = rest

    # --- sending
    def send_frame(self, opcode, payload=b"", fin=True, mask=True, rsv=0):
        head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
        n = len(payload)
        m = 0x80 if mask else 0
        if n < 126:
            head += bytes([m | n])
        elif n < 65536:
            head += bytes([m | 126]) + struct.pack("!H", n)
        else:
            head += bytes([m | 127]) + struct.pack("!Q", n)
        if mask:
            key = os.urandom(4)
            head += key
            payload = mask_bytes(payload, key)
        self.sock.sendall(head + payload)

    def send_binary(self, data: bytes):
        self.send_frame(OP_BINARY, data)

    def send_text(self, text: str):
        self.send_frame(OP_TEXT, text.encode())

    def close(self, code=1000, reason=""):
        if not self.sent_close:
            self.sent_close = True
            try:
                self.send_frame(OP_CLOSE, struct.pack("!H", code) + reason.encode())
            except OSError:
                pass

    def shutdown(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # --- receiving
    def _fill(self, n):
        while len(self.buf) < n:
            try:
                chunk = self.sock.recv(max(65536, n - len(self.buf)))
            except (ConnectionResetError, BrokenPipeError):
                chunk = b""
            if not chunk:
                raise Closed(None, "connection ended")
            self.buf += chunk

    def _take(self, n):
        self._fill(n)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_frame(self):
        b0, b1 = self._take(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._take(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._take(8))[0]
        key = self._take(4) if b1 & 0x80 else None
        payload = self._take(n)
        if key:
            payload = mask_bytes(payload, key)
        return bool(b0 & 0x80), b0 & 0x0F, payload

    def recv(self):
        """The next data message as (opcode, bytes); answers pings; raises Closed."""
        parts = []
        opcode = None
        while True:
            fin, op, payload = self.recv_frame()
            if op == OP_PING:
                if self.auto_pong:
                    self.send_frame(OP_PONG, payload)
                continue
            if op == OP_PONG:
                continue
            if op == OP_CLOSE:
                self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                self.close_reason = payload[2:].decode(errors="replace")
                self.close(self.close_code if self.close_code not in (1005, 1006) else 1000)
                self.shutdown()  # like a browser: the handshake is done, drop the TCP connection
                raise Closed(self.close_code, self.close_reason)
            if op != OP_CONT:
                opcode = op
            parts.append(payload)
            if fin:
                return opcode, b"".join(parts)

    def recv_binary(self):
        op, data = self.recv()
        assert op == OP_BINARY, f"expected a binary frame, got opcode {op}"
        return data

    def recv_text(self):
        op, data = self.recv()
        assert op == OP_TEXT, f"expected a text frame, got opcode {op}"
        return data.decode()

    def wait_close(self, timeout=20):
        """Reads until the connection closes; returns (code, reason); (None, ...) without a close frame."""
        self.sock.settimeout(timeout)
        try:
            while True:
                self.recv()
        except Closed as c:
            return c.code, c.reason
        except socket.timeout:
            raise AssertionError(f"connection still open after {timeout} s")
        except OSError as e:
            return None, str(e)
