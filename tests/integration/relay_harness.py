"""Helpers for the relay tests: a `tether relay` process, a daemon linked to it, a fake
daemon in Python (Ed25519 from ed25519_ref), test certificates from the openssl CLI,
metrics parsing and RSS from /proc."""
import base64
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import unittest

import ed25519_ref
from harness import SANITIZER_MARKERS, TETHER, LineSocket
from wsclient import WsClient

LINK_CONTEXT = b"tether-relay-link/1\x00"


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def b64url_decode(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def wait_for(predicate, timeout=20, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def check_log_clean(test, path):
    with open(path, errors="replace") as f:
        text = f.read()
    for marker in SANITIZER_MARKERS:
        test.assertNotIn(marker, text, f"sanitizer report in {path}:\n{text[-4000:]}")
    return text


class Relay:
    """A `tether relay` on 127.0.0.1; logs go to a file (a full pipe would block it)."""

    def __init__(self, workdir, *args, port=0, tls=None, env=None, name="relay"):
        self.log_path = os.path.join(workdir, f"{name}-{time.monotonic_ns()}.log")
        self.tls = tls  # (cert, key) or None
        mode = ["--cert", tls[0], "--key", tls[1]] if tls else ["--insecure-http"]
        cmd = [TETHER, "relay", "--listen", f"127.0.0.1:{port}", *mode, *args]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     env={**os.environ, **(env or {})})
        line = self.proc.stdout.readline()
        m = re.search(r"listening on https?://127\.0\.0\.1:(\d+)", line)
        if not m:
            self.proc.wait(timeout=10)
            raise AssertionError(f"relay did not start: {line!r}\n{open(self.log_path).read()}")
        self.port = int(m.group(1))

    def url(self):
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}"

    def http(self, method, path, headers=None, ssl_context=None, source=None):
        source_address = (source, 0) if source else None
        conn = (http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10, context=ssl_context,
                                            source_address=source_address)
                if self.tls else http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                                            source_address=source_address))
        try:
            conn.request(method, path, headers=headers or {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def metrics(self, ssl_context=None):
        status, _, body = self.http("GET", "/metrics", ssl_context=ssl_context)
        assert status == 200
        out = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out

    def wait_metric(self, key, expected, timeout=10, ssl_context=None):
        """Waits until metric `key` equals `expected` (a close is counted when the relay
        sees the peer's answer, a moment after the test does); returns all metrics."""
        last = {}

        def check():
            nonlocal last
            last = self.metrics(ssl_context=ssl_context)
            return last.get(key) == expected

        try:
            wait_for(check, timeout=timeout, interval=0.05, what=key)
        except AssertionError:
            raise AssertionError(f"{key} is {last.get(key)}, expected {expected}")
        return last

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def stop(self, test=None, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=15)
        self.proc.stdout.close()
        self.log.close()
        if test is not None:
            check_log_clean(test, self.log_path)
            test.assertEqual(rc, 0 if sig in (signal.SIGTERM, signal.SIGINT) else rc)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.log.close()


class LinkedDaemon:
    """A real `tether daemon` on its own home with --relay; echo handler on accepts."""

    def __init__(self, workdir, relay_url, *extra, echo=True, home=None):
        self.home = home or tempfile.mkdtemp(prefix="home-", dir=workdir)
        os.chmod(self.home, 0o700)
        self.log_path = os.path.join(workdir, f"daemon-{time.monotonic_ns()}.log")
        self.log = open(self.log_path, "w")
        cmd = [TETHER, "daemon", "--home", self.home, "--no-direct", "--relay", relay_url, "--relay-backoff-max", "1",
               *extra]
        if echo:
            cmd.append("--debug-echo-accepts")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log)
        self.socket_path = os.path.join(self.home, "tether.sock")
        wait_for(lambda: self.proc.poll() is not None or os.path.exists(self.socket_path), what="daemon socket")
        if self.proc.poll() is not None:
            raise AssertionError(f"daemon exited: {open(self.log_path).read()}")
        self.id = self.info()["daemon_id"]

    def info(self):
        for _ in range(50):
            try:
                s = LineSocket(self.socket_path)
                try:
                    return s.call("daemon.info")["result"]
                finally:
                    s.close()
            except OSError:
                time.sleep(0.05)
        raise AssertionError("daemon.info failed")

    def relay_state(self):
        return self.info()["relay"]

    def wait_linked(self, timeout=30):
        return wait_for(lambda: self.relay_state()["state"] == "connected" and self.relay_state(), timeout=timeout,
                        interval=0.1, what="relay link")

    def stop(self, test=None):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=15)
        self.log.close()
        if test is not None:
            check_log_clean(test, self.log_path)
            test.assertEqual(rc, 0)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class FakeDaemon:
    """A daemon played in Python: links with a real Ed25519 signature, reads accepts.
    `source` is the loopback address it connects from (127.0.0.1 unless told)."""

    def __init__(self, relay, seed=None, source=None):
        self.relay = relay
        self.seed = seed or os.urandom(32)
        self.source = source
        self.id = b64url(ed25519_ref.public_key(self.seed))
        self.ws = None

    def open(self):
        ws = WsClient(self.relay.port, "/v1/daemon", source=self.source)
        challenge = json.loads(ws.recv_text())
        assert challenge["type"] == "challenge", challenge
        return ws, b64url_decode(challenge["nonce"])

    def hello(self, nonce):
        sig = ed25519_ref.sign(self.seed, LINK_CONTEXT + nonce)
        return json.dumps({"type": "hello", "daemon_id": self.id, "signature": b64url(sig)})

    def link(self):
        ws, nonce = self.open()
        ws.send_text(self.hello(nonce))
        reply = json.loads(ws.recv_text())
        assert reply == {"type": "linked"}, reply
        self.ws = ws
        return ws

    def next_token(self):
        msg = json.loads(self.ws.recv_text())
        assert msg["type"] == "accept", msg
        return msg["token"]

    def accept(self, token=None):
        return WsClient(self.relay.port, "/v1/accept/" + (token or self.next_token()))


def connect_client(relay, daemon_id, **kw):
    return WsClient(relay.port, "/v1/connect/" + daemon_id, **kw)


def make_certs(directory, name="relay", ca_name="tether test CA", san="DNS:localhost,IP:127.0.0.1"):
    """A CA and a server certificate (for localhost and 127.0.0.1 unless `san` says otherwise)
    signed by it, made with the openssl CLI."""
    ca_key = os.path.join(directory, f"{name}-ca.key")
    ca = os.path.join(directory, f"{name}-ca.pem")
    key = os.path.join(directory, f"{name}.key")
    csr = os.path.join(directory, f"{name}.csr")
    cert = os.path.join(directory, f"{name}.pem")
    ext = os.path.join(directory, f"{name}.ext")
    with open(ext, "w") as f:
        f.write(f"subjectAltName={san}\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca_key,
        "-out", ca, "-days", "2", "-subj", f"/CN={ca_name}")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
        "-subj", "/CN=localhost")
    run("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
        "-extfile", ext)
    return ca, cert, key


class RelayTest(unittest.TestCase):
    """Each test gets a temp dir; relays and daemons started through it are stopped at the end."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tether-relay-it-")
        self.procs = []

    def tearDown(self):
        for p in reversed(self.procs):
            p.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_relay(self, *args, **kw):
        r = Relay(self.tmp, *args, **kw)
        self.procs.append(r)
        return r

    def start_daemon(self, relay_url, *extra, **kw):
        d = LinkedDaemon(self.tmp, relay_url, *extra, **kw)
        self.procs.append(d)
        return d
