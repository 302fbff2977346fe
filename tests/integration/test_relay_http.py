"""tether relay over plain HTTP: /healthz, /metrics (counts, and never a key or a token),
and static files only with --web-root, with strict headers and no traversal."""
import os
import socket
import unittest

from relay_harness import FakeDaemon, RelayTest, connect_client
from wsclient import read_http_head

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def raw_get(port, target):
    """GET with the target sent exactly as given (http.client would not normalise it, but be explicit)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    status, headers, _ = read_http_head(s)
    s.close()
    return status, headers


class Http(RelayTest):
    def make_web_root(self):
        root = os.path.join(self.tmp, "web")
        os.makedirs(os.path.join(root, "assets"))
        files = {
            "index.html": b"<!doctype html><script src=/assets/app.js></script>",
            "assets/app.js": b"console.log(1)",
            "assets/app.css": b"body{}",
            "manifest.webmanifest": b"{}",
            "icon.svg": b"<svg/>",
            ".env": b"SECRET=1",
        }
        for name, body in files.items():
            with open(os.path.join(root, name), "wb") as f:
                f.write(body)
        with open(os.path.join(self.tmp, "secret.txt"), "w") as f:
            f.write("outside the root")
        os.symlink(os.path.join(self.tmp, "secret.txt"), os.path.join(root, "leak.txt"))
        return root, files

    def test_healthz_and_metrics(self):
        relay = self.start_relay()
        status, headers, body = relay.http("GET", "/healthz")
        self.assertEqual((status, body), (200, b"ok\n"))
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(headers[name], value)
        status, headers, body = relay.http("HEAD", "/healthz")
        self.assertEqual((status, body, headers["content-length"]), (200, b"", "3"))
        status, headers, body = relay.http("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        text = body.decode()
        for family in ("tether_relay_connections", "tether_relay_links", "tether_relay_spliced_pairs",
                       "tether_relay_bytes_relayed_total", "tether_relay_closes_total", "tether_relay_limit_hits_total"):
            self.assertIn(f"# TYPE {family} ", text)
        relay.stop(self)

    def test_metrics_count_links_pairs_bytes_and_closes_but_never_show_ids_or_tokens(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        token = fake.next_token()
        server = fake.accept(token)
        client.send_binary(b"a" * 1000)
        server.recv_binary()
        server.send_binary(b"b" * 10)
        client.recv_binary()
        m = relay.metrics()
        self.assertEqual(m["tether_relay_links"], 1)
        self.assertEqual(m["tether_relay_spliced_pairs"], 1)
        self.assertEqual(m["tether_relay_splices_total"], 1)
        self.assertEqual(m['tether_relay_bytes_relayed_total{direction="client_to_daemon"}'], 1000)
        self.assertEqual(m['tether_relay_bytes_relayed_total{direction="daemon_to_client"}'], 10)
        client.close(1000)
        server.wait_close()
        connect_client(relay, FakeDaemon(relay).id).wait_close()
        _, _, body = relay.http("GET", "/metrics")
        text = body.decode()
        self.assertNotIn(fake.id, text)
        self.assertNotIn(token, text)
        self.assertNotIn("127.0.0.1", text)
        m = relay.wait_metric('tether_relay_closes_total{reason="daemon_not_linked"}', 1)
        self.assertEqual(m["tether_relay_spliced_pairs"], 0)
        self.assertEqual(m['tether_relay_closes_total{reason="closed_by_peer"}'], 1)
        self.assertEqual(m['tether_relay_closes_total{reason="peer_closed"}'], 1)
        self.assertEqual(m['tether_relay_closes_total{reason="daemon_not_linked"}'], 1)
        relay.stop(self)
        # and the log holds neither payload nor token
        with open(relay.log_path) as f:
            log = f.read()
        self.assertNotIn(token, log)

    def test_two_host_headers_or_none_get_400(self):
        relay = self.start_relay()
        for head in (b"Host: x\r\nHost: y\r\n", b"Host: x\r\nHost: x\r\n", b""):
            s = socket.create_connection(("127.0.0.1", relay.port), timeout=10)
            s.sendall(b"GET /healthz HTTP/1.1\r\n" + head + b"Connection: close\r\n\r\n")
            status, _, _ = read_http_head(s)
            s.close()
            self.assertEqual(status, 400, head)
        self.assertEqual(relay.http("GET", "/healthz")[0], 200)
        relay.stop(self)

    def test_no_static_files_without_web_root(self):
        relay = self.start_relay()
        for path in ("/", "/index.html"):
            self.assertEqual(relay.http("GET", path)[0], 404)
        relay.stop(self)

    def test_static_files_with_headers_types_and_no_traversal(self):
        root, files = self.make_web_root()
        relay = self.start_relay("--web-root", root)
        types = {
            "/": "text/html; charset=utf-8",
            "/assets/app.js": "text/javascript; charset=utf-8",
            "/assets/app.css": "text/css; charset=utf-8",
            "/manifest.webmanifest": "application/manifest+json",
            "/icon.svg": "image/svg+xml",
        }
        for path, ctype in types.items():
            status, headers, body = relay.http("GET", path)
            self.assertEqual(status, 200, path)
            self.assertEqual(body, files["index.html" if path == "/" else path[1:]])
            self.assertEqual(headers["content-type"], ctype)
            for name, value in SECURITY_HEADERS.items():
                self.assertEqual(headers[name], value)
            csp = headers["content-security-policy"]
            self.assertIn("script-src 'self'", csp)
            self.assertIn("connect-src 'self'", csp)
            self.assertIn("default-src 'self'", csp)
            self.assertNotIn("unsafe-inline", csp)
        for target in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                       "/assets/%2E%2E/%2E%2E/secret.txt", "/.env", "/leak.txt", "/assets/..%5c..%5csecret.txt"):
            status, _ = raw_get(relay.port, target)
            self.assertIn(status, (403, 404), target)
        self.assertEqual(relay.http("GET", "/missing.js")[0], 404)
        self.assertEqual(relay.http("POST", "/")[0], 405)
        relay.stop(self)


if __name__ == "__main__":
    unittest.main()
