"""The relay's WebSocket server over plain TCP, frame by frame: fragments and control
frames on a splice, frames sent in the same write as the upgrade request, pings, the
close handshake, each RFC 6455 violation answered with its close code, and many frames
in one write (the relay reads and writes them in batches) arriving intact and in order."""
import json
import os
import socket
import struct
import time
import unittest

from relay_harness import FakeDaemon, RelayTest, connect_client
from wsclient import OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_PONG, OP_TEXT, WsClient, mask_bytes


def client_frame(opcode, payload=b"", fin=True, mask=True, rsv=0, length_form=None):
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    n = len(payload)
    m = 0x80 if mask else 0
    form = length_form or (7 if n < 126 else 16 if n < 65536 else 64)
    if form == 7:
        head += bytes([m | n])
    elif form == 16:
        head += bytes([m | 126]) + struct.pack("!H", n)
    else:
        head += bytes([m | 127]) + struct.pack("!Q", n)
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + mask_bytes(payload, key)


class WsProtocol(RelayTest):
    def spliced(self, relay, fake):
        client = connect_client(relay, fake.id)
        server = fake.accept()
        client.send_binary(b"ready")
        self.assertEqual(server.recv_binary(), b"ready")
        return client, server

    def test_fragments_with_a_ping_between_arrive_as_one_message_and_the_ping_is_answered(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        client, server = self.spliced(relay, fake)
        client.send_frame(OP_BINARY, b"one ", fin=False)
        client.send_frame(OP_PING, b"are you there")
        client.send_frame(OP_CONT, b"two ", fin=False)
        client.send_frame(OP_CONT, b"three")
        fin, op, payload = client.recv_frame()
        self.assertEqual((fin, op, payload), (True, OP_PONG, b"are you there"))
        fin, op, payload = server.recv_frame()
        self.assertEqual((fin, op, payload), (True, OP_BINARY, b"one two three"))
        relay.stop(self)

    def test_frames_in_the_same_write_as_the_upgrade_request_are_kept(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        sock = socket.create_connection(("127.0.0.1", relay.port), timeout=15)
        request = (f"GET /v1/connect/{fake.id} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n").encode()
        sock.sendall(request + client_frame(OP_BINARY, b"early one") + client_frame(OP_BINARY, b"early two"))
        server = fake.accept()
        self.assertEqual(server.recv_binary(), b"early one")
        self.assertEqual(server.recv_binary(), b"early two")
        answer = sock.recv(4096)
        self.assertTrue(answer.startswith(b"HTTP/1.1 101 "), answer)
        self.assertIn(b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", answer)
        sock.close()
        relay.stop(self)

    def test_a_thousand_frames_in_one_write_come_out_whole_and_in_order(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        client, server = self.spliced(relay, fake)
        frames = [struct.pack("!I", i) + os.urandom(i % 700) for i in range(1000)]
        client.sock.sendall(b"".join(client_frame(OP_BINARY, f) for f in frames))
        for f in frames:
            self.assertEqual(server.recv_binary(), f)
        server.sock.sendall(b"".join(client_frame(OP_BINARY, f) for f in reversed(frames)))
        for f in reversed(frames):
            self.assertEqual(client.recv_binary(), f)
        relay.stop(self)

    def test_the_close_handshake_echoes_the_code_and_ends_the_tcp_connection(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        ws, _ = fake.open()
        ws.send_frame(OP_CLOSE, struct.pack("!H", 4321) + b"leaving")
        fin, op, payload = ws.recv_frame()
        self.assertEqual((op, payload), (OP_CLOSE, struct.pack("!H", 4321)))
        ws.sock.settimeout(10)
        self.assertEqual(ws.sock.recv(1), b"")  # the relay's FIN follows its close frame
        ws.shutdown()
        # an empty close is answered with an empty one
        ws, _ = fake.open()
        ws.send_frame(OP_CLOSE, b"")
        self.assertEqual(ws.recv_frame()[1:], (OP_CLOSE, b""))
        ws.shutdown()
        relay.stop(self)

    def test_each_protocol_violation_gets_its_close_code_and_the_relay_stays_up(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        cases = [
            ("reserved bit", client_frame(OP_TEXT, b"{}", rsv=4), 1002),
            ("unmasked", client_frame(OP_TEXT, b"{}", mask=False), 1002),
            ("reserved opcode", client_frame(3, b"x"), 1002),
            ("fragmented ping", client_frame(OP_PING, b"x", fin=False), 1002),
            ("long ping", client_frame(OP_PING, b"p" * 126), 1002),
            ("continuation first", client_frame(OP_CONT, b"x"), 1002),
            ("non-minimal length", client_frame(OP_TEXT, b"{}", length_form=64), 1002),
            ("bad close code", client_frame(OP_CLOSE, struct.pack("!H", 1005)), 1002),
            ("text not UTF-8", client_frame(OP_TEXT, b"\xc0\xaf"), 1007),
            ("oversized header", bytes([0x82, 0xFF]) + struct.pack("!Q", 1 << 40) + os.urandom(4), 1009),
        ]
        for name, frame, code in cases:
            with self.subTest(name):
                ws, _ = fake.open()
                ws.sock.sendall(frame)
                got, _ = ws.wait_close(timeout=15)
                self.assertEqual(got, code, name)
        self.assertEqual(relay.http("GET", "/healthz")[0], 200)
        m = relay.metrics()
        self.assertGreaterEqual(m['tether_relay_closes_total{reason="protocol_error"}'], 9)
        self.assertGreaterEqual(m['tether_relay_closes_total{reason="message_too_big"}'], 1)
        # and a well-behaved daemon still links
        fake.link()
        relay.stop(self)

    def test_a_frame_cut_into_single_bytes_is_reassembled(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        ws, nonce = fake.open()
        frame = client_frame(OP_TEXT, fake.hello(nonce).encode())
        for i in range(len(frame)):
            ws.sock.sendall(frame[i:i + 1])
            time.sleep(0.001)
        self.assertEqual(json.loads(ws.recv_text()), {"type": "linked"})
        relay.stop(self)


if __name__ == "__main__":
    unittest.main()
