"""TLS between daemon, client and relay, with a test CA made by the openssl CLI: the
daemon verifies the relay's certificate always, and never links to a relay it cannot trust."""
import json
import os
import ssl
import subprocess
import unittest

from harness import TETHER, run_cli
from relay_harness import RelayTest, connect_client, make_certs, wait_for


class Tls(RelayTest):
    def setUp(self):
        super().setUp()
        self.ca, self.cert, self.key = make_certs(self.tmp)

    def client_context(self, ca=None):
        ctx = ssl.create_default_context(cafile=ca or self.ca)
        return ctx

    def test_daemon_and_client_through_a_tls_relay(self):
        relay = self.start_relay(tls=(self.cert, self.key))
        url = f"wss://localhost:{relay.port}"
        daemon = self.start_daemon(url, "--relay-ca", self.ca)
        daemon.wait_linked()
        client = connect_client(relay, daemon.id, tls=self.client_context(), server_hostname="localhost")
        for i in range(100):
            payload = os.urandom(i * 37)
            client.send_binary(payload)
            self.assertEqual(client.recv_binary(), payload)
        client.close()
        client.wait_close()
        status, _, body = relay.http("GET", "/healthz", ssl_context=self.client_context())
        self.assertEqual((status, body), (200, b"ok\n"))
        daemon.stop(self)
        relay.stop(self)

    def test_daemon_refuses_a_certificate_from_an_unknown_ca(self):
        relay = self.start_relay(tls=(self.cert, self.key))
        url = f"wss://localhost:{relay.port}"
        other_ca, _, _ = make_certs(self.tmp, name="other", ca_name="someone else's CA")
        cases = {
            "system CAs": (),
            "another CA": ("--relay-ca", other_ca),
        }
        for label, extra in cases.items():
            daemon = self.start_daemon(url, *extra)
            state = wait_for(lambda: "last_error" in daemon.relay_state() and daemon.relay_state(), what=label)
            self.assertEqual(state["state"], "connecting", label)
            self.assertIn("certificate", state["last_error"], label)
            daemon.stop(self)
        m = relay.metrics(ssl_context=self.client_context())
        self.assertEqual(m["tether_relay_links_total"], 0)
        self.assertGreaterEqual(m['tether_relay_closes_total{reason="tls_handshake_failed"}'], 2)
        relay.stop(self)

    def test_daemon_refuses_a_certificate_for_another_name(self):
        ca, cert, key = make_certs(self.tmp, name="elsewhere", san="DNS:relay.example.com")
        relay = self.start_relay(tls=(cert, key))
        daemon = self.start_daemon(f"wss://localhost:{relay.port}", "--relay-ca", ca)
        state = wait_for(lambda: "last_error" in daemon.relay_state() and daemon.relay_state(), what="refusal")
        self.assertEqual(state["state"], "connecting")
        self.assertIn("TLS", state["last_error"])
        daemon.stop(self)
        relay.stop(self)

    def test_relay_settings_from_config_json(self):
        relay = self.start_relay(tls=(self.cert, self.key))
        home = os.path.join(self.tmp, "cfg-home")
        os.mkdir(home, 0o700)
        with open(os.path.join(home, "config.json"), "w") as f:
            json.dump({"relay": {"url": f"wss://localhost:{relay.port}", "ca_file": self.ca,
                                 "backoff_max_seconds": 1}}, f)
        daemon = self.start_daemon_from_home(home)
        wait_for(lambda: daemon_state(home) == "connected", what="link from config.json")
        self.stop_daemon(daemon)
        relay.stop(self)

    def start_daemon_from_home(self, home):
        log = open(os.path.join(self.tmp, "cfg-daemon.log"), "w")
        proc = subprocess.Popen([TETHER, "daemon", "--home", home, "--no-direct"], stdout=subprocess.DEVNULL, stderr=log)
        self.addCleanup(lambda: (proc.poll() is None and proc.kill(), proc.wait(), log.close()))
        wait_for(lambda: os.path.exists(os.path.join(home, "tether.sock")) or proc.poll() is not None, what="socket")
        self.assertIsNone(proc.poll())
        return proc

    def stop_daemon(self, proc):
        proc.terminate()
        self.assertEqual(proc.wait(timeout=15), 0)

    def test_refusals_at_start(self):
        home = os.path.join(self.tmp, "refused-home")
        # plain ws:// only to a loopback relay
        r = run_cli("daemon", "--no-direct", "--relay", "ws://relay.example.com:80", home=home, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("wss://", r.stderr)
        r = run_cli("daemon", "--no-direct", "--relay", "https://relay.example.com", home=home, timeout=60)
        self.assertEqual(r.returncode, 2)
        r = run_cli("daemon", "--no-direct", "--relay", "wss://localhost:1", "--relay-ca", "/nonexistent.pem", home=home, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("/nonexistent.pem", r.stderr)
        os.makedirs(home, 0o700, exist_ok=True)
        with open(os.path.join(home, "config.json"), "w") as f:
            f.write('{"relay": {"URL": "wss://x"}}')
        r = run_cli("daemon", "--no-direct", home=home, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("relay.URL", r.stderr)
        # the relay wants TLS files or an explicit --insecure-http
        r = subprocess.run([TETHER, "relay", "--listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--insecure-http", r.stderr)
        r = subprocess.run([TETHER, "relay", "--listen", "127.0.0.1:0", "--cert", self.cert, "--key", self.ca],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2)
        self.assertIn("private key", r.stderr)


def daemon_state(home):
    r = run_cli("status", "--json", home=home)
    return json.loads(r.stdout)["relay"]["state"] if r.returncode == 0 else None


if __name__ == "__main__":
    unittest.main()
