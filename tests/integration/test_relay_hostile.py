"""tether relay under hostile input: each abuse gets its documented answer, is counted in
/metrics, and the relay still splices a fresh pair afterwards."""
import os
import select
import socket
import time
import unittest

from relay_harness import FakeDaemon, RelayTest, connect_client, wait_for
from wsclient import HandshakeError, WsClient, read_http_head


def raw(port, data=b"", timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if data:
        s.sendall(data)
    return s


def read_all(s, timeout=10):
    s.settimeout(timeout)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return out
            out += chunk
    except ConnectionResetError:
        return out


def status_of(answer: bytes):
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else None


class Hostile(RelayTest):
    def assert_fresh_pair_works(self, relay):
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        server = fake.accept()
        client.send_binary(b"still here")
        self.assertEqual(server.recv_binary(), b"still here")
        server.send_binary(b"and back")
        self.assertEqual(client.recv_binary(), b"and back")
        client.close()
        server.wait_close()

    def test_malformed_requests_get_their_answers(self):
        relay = self.start_relay("--max-header", "4KiB")
        port = relay.port
        fake_id = FakeDaemon(relay).id
        # unknown daemon id: upgraded, then closed 4404
        self.assertEqual(connect_client(relay, fake_id).wait_close(), (4404, "daemon not linked"))
        # malformed paths: 404 before any upgrade
        for path in ("/v1/connect/xyz", "/v1/connect/" + fake_id + "/extra", "/v1/accept/", "/v1/nothing", "/healthz"):
            with self.assertRaises(HandshakeError) as e:
                WsClient(port, path)
            self.assertEqual(e.exception.status, 404, path)
        # not a WebSocket request on a WebSocket endpoint: 426
        self.assertEqual(relay.http("GET", "/v1/connect/" + fake_id)[0], 426)
        self.assertEqual(relay.http("POST", "/v1/daemon")[0], 405)
        # a bad Sec-WebSocket-Key: 400 from the handshake
        for key in ("", "short", "!!!!!!!!!!!!!!!!!!!!!!!!"):
            with self.assertRaises(HandshakeError) as e:
                WsClient(port, "/v1/daemon", key=key)
            self.assertEqual(e.exception.status, 400, key)
        # not HTTP at all: 400
        self.assertEqual(status_of(read_all(raw(port, b"\x16\x03\x01 hello?\r\n\r\n"))), 400)
        # oversized headers: 431
        big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8000 + b"\r\n\r\n"
        self.assertEqual(status_of(read_all(raw(port, big))), 431)
        m = relay.wait_metric('tether_relay_closes_total{reason="daemon_not_linked"}', 1)
        self.assertEqual(m['tether_relay_limit_hits_total{limit="header_size"}'], 1)
        self.assertGreaterEqual(m['tether_relay_http_responses_total{status="400"}'], 4)
        self.assertEqual(m['tether_relay_http_responses_total{status="404"}'], 5)
        self.assert_fresh_pair_works(relay)
        relay.stop(self)

    def test_oversized_frames_close_with_1009(self):
        relay = self.start_relay("--max-frame", "64KiB")
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        server = fake.accept()
        client.send_binary(os.urandom(64 * 1024))  # exactly the limit passes
        self.assertEqual(len(server.recv_binary()), 64 * 1024)
        client.send_binary(os.urandom(64 * 1024 + 1))
        self.assertEqual(client.wait_close()[0], 1009)
        self.assertEqual(server.wait_close(), (1001, "peer went away"))
        # on the link too, before any hello
        ws, _ = fake.open()
        ws.send_text("x" * (64 * 1024 + 1))
        self.assertEqual(ws.wait_close()[0], 1009)
        relay.wait_metric('tether_relay_limit_hits_total{limit="max_frame"}', 2)
        self.assert_fresh_pair_works(relay)
        relay.stop(self)

    def test_slowloris_is_cut_at_the_header_timeout(self):
        relay = self.start_relay("--header-timeout", "2")
        s = raw(relay.port, b"GET /healthz HTTP/1.1\r\n")
        started = time.monotonic()
        closed = False
        for i in range(40):  # one header byte per second: never finishes within the limit
            try:
                s.sendall(b"X-Slow-%d: 1\r\n"[:1])
                r, _, _ = select.select([s], [], [], 1.0)
                if r and not s.recv(4096):
                    closed = True
                    break
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
        self.assertTrue(closed, "the slow client was never cut off")
        self.assertLess(time.monotonic() - started, 30)
        self.assertGreaterEqual(relay.metrics()['tether_relay_limit_hits_total{limit="header_timeout"}'], 1)
        self.assert_fresh_pair_works(relay)
        relay.stop(self)

    def test_500_idle_connections_from_one_address(self):
        relay = self.start_relay("--header-timeout", "2")  # --max-connections-per-ip defaults to 64
        socks = [raw(relay.port) for _ in range(500)]
        answers = {}
        pending = set(range(500))
        deadline = time.monotonic() + 30
        buffers = {i: b"" for i in pending}
        while pending and time.monotonic() < deadline:
            readable, _, _ = select.select([socks[i] for i in pending], [], [], 1.0)
            for s in readable:
                i = socks.index(s)
                try:
                    chunk = s.recv(65536)
                except ConnectionResetError:
                    chunk = b""
                if chunk:
                    buffers[i] += chunk
                    continue
                answers[i] = status_of(buffers[i])
                pending.discard(i)
        self.assertFalse(pending, f"{len(pending)} connections neither answered nor closed")
        refused = [i for i, a in answers.items() if a == 429]
        silent = [i for i, a in answers.items() if a is None]
        self.assertEqual(len(refused), 500 - 64)
        self.assertEqual(len(silent), 64)  # held until the header timeout, then closed
        self.assertIn(b"too many connections", buffers[refused[0]])
        for s in socks:
            s.close()
        m = relay.metrics()
        self.assertEqual(m['tether_relay_limit_hits_total{limit="connections_per_ip"}'], 436)
        self.assertGreaterEqual(m['tether_relay_limit_hits_total{limit="header_timeout"}'], 64)
        wait_for(lambda: relay.metrics()["tether_relay_connections"] <= 1, what="connections released")
        self.assert_fresh_pair_works(relay)
        relay.stop(self)

    def test_relay_full_answers_503(self):
        relay = self.start_relay("--max-connections", "4", "--header-timeout", "5")
        idle = [raw(relay.port) for _ in range(4)]
        time.sleep(0.2)
        answer = read_all(raw(relay.port))
        self.assertEqual(status_of(answer), 503)
        self.assertIn(b"relay full", answer)
        for s in idle:
            s.close()
        wait_for(lambda: relay.http("GET", "/healthz")[0] == 200, what="relay accepting again")
        self.assertGreaterEqual(relay.metrics()['tether_relay_limit_hits_total{limit="connections_total"}'], 1)
        relay.stop(self)

    def test_idle_peer_that_does_not_answer_pings_is_closed(self):
        relay = self.start_relay("--idle-timeout", "2")
        fake = FakeDaemon(relay)
        fake.link()
        mute = connect_client(relay, fake.id, auto_pong=False)
        server = fake.accept()
        # the server side reads (so it answers pings) and sees its peer cut off
        self.assertEqual(server.wait_close(timeout=20), (1001, "peer went away"))
        code, _ = mute.wait_close()
        self.assertIsNone(code)  # cut without a close handshake
        m = relay.metrics()
        self.assertGreaterEqual(m['tether_relay_limit_hits_total{limit="idle_timeout"}'], 1)
        self.assertGreaterEqual(m['tether_relay_closes_total{reason="idle_timeout"}'], 1)
        # a quiet but live link survives several timeouts: it answers the relay's pings
        live = FakeDaemon(relay)
        live.link()
        quiet_until = time.monotonic() + 6
        while time.monotonic() < quiet_until:  # recv() answers the pings; no message comes
            live.ws.sock.settimeout(0.5)
            with self.assertRaises(socket.timeout):
                live.ws.recv()
        self.assertEqual(relay.metrics()["tether_relay_links"], 1)
        live.ws.sock.settimeout(10)
        client = connect_client(relay, live.id)
        self.assertTrue(live.next_token())
        client.shutdown()
        relay.stop(self)

if __name__ == "__main__":
    unittest.main()
