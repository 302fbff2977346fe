"""The direct listener under a flood of connections that never finish a handshake (half-open
HTTP requests, WebSocket upgrades that never send Noise message 1), with the daemon started
under a low open-file limit: the flood is capped per source address and in total, the local
socket keeps answering, a paired device still connects, and the daemon lives on."""
import base64
import json
import os
import re
import resource
import selectors
import socket
import subprocess
import time
import unittest

from harness import TETHER, TempHomeTest, run_cli

OPEN_FILES = 256  # the daemon's soft and hard limit: a flood of 400 would pass it
FLOOD = 400
PER_ADDRESS = 32  # the daemon's default --max-handshakes-per-ip
# The daemon keeps 128 descriptors in reserve, so 128 connections fit, and half of them
# (64) may be without an answered handshake.
HANDSHAKES = 64


def low_open_file_limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))


def half_open_head(port):
    return f"GET /v1/direct HTTP/1.1\r\nHost: localhost:{port}\r\n".encode()  # no blank line: never done


def upgrade_request(port):
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET /v1/direct HTTP/1.1\r\nHost: localhost:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


class Flood:
    """Raw TCP connections to the direct port from the given loopback source addresses, every
    other one a half-open request head, the others complete upgrades (then silence)."""

    def __init__(self, port, sources, count):
        self.socks = []
        for i in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((sources[i % len(sources)], 0))
            s.settimeout(10)
            s.connect(("127.0.0.1", port))
            try:
                s.sendall(half_open_head(port) if i % 2 else upgrade_request(port))
            except OSError:
                pass  # already closed by the daemon
            s.setblocking(False)
            self.socks.append(s)

    def outcomes(self, wait=4.0):
        """Per connection: an HTTP status it got (101 for the upgrades let through), "closed"
        (closed with no answer), or "open" (no answer, still open when `wait` ran out). A
        refused connection is read to its end, so the daemon has let go of it when this returns."""
        got = {s: b"" for s in self.socks}
        result = {}
        sel = selectors.DefaultSelector()
        for s in self.socks:
            sel.register(s, selectors.EVENT_READ)
        deadline = time.monotonic() + wait
        while len(result) < len(self.socks) and time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.2):
                s = key.fileobj
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                got[s] += data
                status = self._status(got[s])
                if not data or status == 101:
                    result[s] = status if status is not None else "closed"
                    sel.unregister(s)
                if not data:
                    try:
                        s.shutdown(socket.SHUT_WR)  # so the daemon's lingering close ends now
                    except OSError:
                        pass
        sel.close()
        return [result.get(s, self._status(got[s]) or "open") for s in self.socks]

    @staticmethod
    def _status(data):
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
        return int(m.group(1)) if m else None

    def close(self):
        for s in self.socks:
            s.close()
        self.socks = []


class DirectFlood(TempHomeTest):
    def setUp(self):
        super().setUp()
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # this process holds the flood
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4 * FLOOD)), hard))
        self.client_home = os.path.join(self.tmp, "client")
        self.floods = []

    def tearDown(self):
        for f in self.floods:
            f.close()
        super().tearDown()

    def start(self, *extra):
        self.d = self.start_daemon(*extra, preexec_fn=low_open_file_limit)
        info = json.loads(run_cli("status", "--json", home=self.home).stdout)
        self.port = int(re.search(r":(\d+)$", info["direct"]["origin"]).group(1))

    def pair_device(self):
        p = subprocess.Popen([TETHER, "pair", "--home", self.home, "--json", "--yes"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        offer = json.loads(p.stdout.readline())
        r = run_cli("remote", "add", "box", offer["link"], "--json", "--yes", home=self.client_home)
        self.assertEqual(r.returncode, 0, r.stderr)
        p.communicate(timeout=30)

    def device_status(self, tries=1):
        """The paired device's `status` over the direct listener; a refusal (the daemon still
        letting go of closed connections) is tried again, up to `tries` times."""
        for _ in range(tries):
            r = run_cli("--host", "box", "status", "--json", home=self.client_home, timeout=30)
            if r.returncode == 0:
                break
            time.sleep(0.25)
        return r

    def flood(self, sources, count=FLOOD):
        f = Flood(self.port, sources, count)
        self.floods.append(f)
        return f

    def assert_local_socket_answers(self):
        try:
            r = run_cli("status", "--json", home=self.home, timeout=20)
        except subprocess.TimeoutExpired:
            self.fail("tether status on the local socket did not answer during the flood")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("daemon_id", json.loads(r.stdout))

    def assert_alive_then_clean_stop(self):
        self.assertIsNone(self.d.proc.poll(), "the daemon died under the flood")
        for f in self.floods:
            f.close()
        self.d.stop()
        self.d.assert_clean_exit(self)

    def test_one_address_holds_at_most_its_share_and_a_device_still_connects(self):
        self.start("--handshake-timeout", "60")
        self.pair_device()
        outcomes = self.flood(["127.0.0.2"]).outcomes()
        held = [o for o in outcomes if o in (101, "open")]
        self.assertLessEqual(len(held), PER_ADDRESS, outcomes)
        self.assertGreater(len(held), 0, outcomes)
        self.assertIn(429, outcomes)
        self.assert_local_socket_answers()
        r = self.device_status(tries=10)  # from 127.0.0.1, while 127.0.0.2 holds its share
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_alive_then_clean_stop()

    def test_many_addresses_fill_the_handshake_cap_not_the_descriptors(self):
        self.start("--handshake-timeout", "60")
        self.pair_device()
        sources = [f"127.0.0.{i}" for i in range(2, 22)]  # 20 addresses, 20 each: under the per-address cap
        outcomes = self.flood(sources).outcomes()
        held = [o for o in outcomes if o in (101, "open")]
        self.assertLessEqual(len(held), HANDSHAKES, outcomes)
        self.assertIn(503, outcomes)
        self.assert_local_socket_answers()
        for _ in range(20):  # while the cap is full, a newcomer is refused with 503 (once the
            late = Flood(self.port, ["127.0.0.1"], 1)  # refusals before it are let go)
            outcome = late.outcomes(wait=10)
            late.close()
            if outcome != ["closed"]:
                break
            time.sleep(0.25)
        self.assertEqual(outcome, [503])
        for f in self.floods:
            f.close()
        r = self.device_status(tries=40)  # the daemon sees the flood's ends shortly
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_alive_then_clean_stop()

    def test_an_upgrade_that_never_handshakes_is_closed_at_the_deadline(self):
        self.start("--handshake-timeout", "1")
        self.pair_device()
        f = self.flood(["127.0.0.2"], count=1)
        # Up to 30 s for a deadline of 1 s; the WebSocket's own idle timeout is 60 s.
        self.assertEqual(f.outcomes(wait=10), [101])
        f.socks[0].setblocking(True)
        f.socks[0].settimeout(30)
        try:
            self.assertEqual(f.socks[0].recv(4096), b"")
        except ConnectionResetError:
            pass
        r = self.device_status()  # a device that answers in time is served
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_alive_then_clean_stop()


if __name__ == "__main__":
    unittest.main()
