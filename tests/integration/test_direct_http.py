"""The daemon's direct listener: Host allowlist (DNS rebinding), cross-origin
upgrades, security headers, and the Noise endpoint's path."""
import base64
import json
import os
import re
import socket
import unittest

from harness import TempHomeTest, run_cli


def request(port, host, path="/healthz", extra=""):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v for k, v in (l.split(": ", 1) for l in lines[1:] if ": " in l)}
    return status, headers, body


def upgrade(port, host, origin=None, path="/v1/direct", extra_headers=""):
    key = base64.b64encode(os.urandom(16)).decode()
    extra = f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
    extra += extra_headers
    if origin:
        extra += f"Origin: {origin}\r\n"
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode())
    data = s.recv(4096)
    s.close()
    return int(data.split(b" ", 2)[1])


class DirectListener(TempHomeTest):
    def setUp(self):
        super().setUp()
        self.d = self.start_daemon("--listen", "127.0.0.1:0", "--allow-host", "my-box.lan", "--allow-host", ".ts.example")
        info = json.loads(run_cli("status", "--json", home=self.home).stdout)
        self.port = int(re.search(r":(\d+)$", info["direct"]["origin"]).group(1))

    def tearDown(self):
        self.d.stop()
        self.d.assert_clean_exit(self)
        super().tearDown()

    def test_bad_hosts_get_403(self):
        for host in ("evil.example", "attacker.com", f"attacker.com:{self.port}", "localhost.attacker.com", ""):
            status, headers, body = request(self.port, host)
            self.assertEqual(status, 403, host)
            self.assertIn(b"Host not allowed", body)
            self.assertEqual(headers.get("x-frame-options"), "DENY")
            self.assertEqual(upgrade(self.port, host), 403, host)

    def test_two_host_headers_or_none_get_400(self):
        # RFC 9112 section 3.2: more than one Host field, or none in HTTP/1.1, is a 400.
        good = f"localhost:{self.port}"
        for first, second in ((good, "evil.example"), (good, good), ("evil.example", good)):
            status, _, body = request(self.port, first, extra=f"Host: {second}\r\n")
            self.assertEqual(status, 400, (first, second))
            self.assertIn(b"Host", body)
            self.assertEqual(upgrade(self.port, first, extra_headers=f"Host: {second}\r\n"), 400, (first, second))
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        s.sendall(b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")
        self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 400"))
        s.close()
        self.assertEqual(request(self.port, good)[0], 200)  # and the listener serves on

    def test_local_and_configured_hosts_pass(self):
        for host in (f"localhost:{self.port}", f"127.0.0.1:{self.port}", f"[::1]:{self.port}", "my-box.lan",
                     "laptop.ts.example", "app.localhost"):
            status, headers, _ = request(self.port, host)
            self.assertEqual(status, 200, host)
            self.assertEqual(headers.get("x-content-type-options"), "nosniff")
            self.assertEqual(headers.get("referrer-policy"), "no-referrer")

    def test_cross_origin_upgrade_is_refused(self):
        host = f"localhost:{self.port}"
        self.assertEqual(upgrade(self.port, host, origin="http://evil.example"), 403)
        self.assertEqual(upgrade(self.port, host, origin=f"http://localhost:{self.port + 1}"), 403)
        self.assertEqual(upgrade(self.port, host, origin=f"http://{host}"), 101)
        self.assertEqual(upgrade(self.port, host), 101)  # no Origin: not a browser
        self.assertEqual(upgrade(self.port, host, path="/v1/other"), 404)

    def test_no_web_app_without_web_root(self):
        status, _, body = request(self.port, f"localhost:{self.port}", path="/")
        self.assertEqual(status, 404)
        self.assertIn(b"--web-root", body)


if __name__ == "__main__":
    unittest.main()
