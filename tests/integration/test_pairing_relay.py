"""Pairing and using a CLI device through the relay (plain and TLS), end to end:
real `tether relay`, `tether daemon --relay`, `tether pair` and `tether remote add`."""
import json
import os
import ssl
import subprocess
import threading
import time
import unittest

from harness import TETHER, run_cli
from relay_harness import RelayTest, make_certs, wait_for


class Follower:
    """`tether --host home-box attach ID` in the background, its output gathered as it comes."""

    def __init__(self, client_home, session):
        self.proc = subprocess.Popen([TETHER, "--host", "home-box", "attach", session, "--home", client_home],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out = ""
        self.err = ""
        self.readers = [threading.Thread(target=self._pump, args=(self.proc.stdout, "out"), daemon=True),
                        threading.Thread(target=self._pump, args=(self.proc.stderr, "err"), daemon=True)]
        for t in self.readers:
            t.start()

    def _pump(self, stream, attr):
        for line in iter(stream.readline, ""):
            setattr(self, attr, getattr(self, attr) + line)

    def wait_exit(self, timeout=30):
        rc = self.proc.wait(timeout=timeout)
        for t in self.readers:
            t.join(timeout=5)
        return rc

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.wait_exit()


class RelayPairing(RelayTest):
    def pair_through(self, relay, daemon, *remote_args):
        client_home = os.path.join(self.tmp, "client")
        p = subprocess.Popen([TETHER, "pair", "--home", daemon.home, "--json", "--no-qr", "--yes"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        offer = json.loads(p.stdout.readline())
        # the app's origin is the relay's own (https for wss)
        self.assertTrue(offer["link"].startswith("https://" if relay.tls else "http://"), offer["link"])
        self.assertIn(f":{relay.port}/#offer=", offer["link"])
        r = run_cli("remote", "add", "home-box", offer["link"], "--via", "relay", "--json", "--yes", *remote_args, home=client_home)
        self.assertEqual(r.returncode, 0, r.stderr)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        cli = json.loads(r.stdout)
        daemon_side = json.loads(out.strip().splitlines()[-1])
        self.assertEqual(cli["via"], "relay")
        self.assertEqual(cli["sas"], daemon_side["sas"])
        # later: the device key alone, through the relay
        s = run_cli("--host", "home-box", "status", "--json", home=client_home)
        self.assertEqual(s.returncode, 0, s.stderr)
        self.assertEqual(json.loads(s.stdout)["daemon_id"], daemon.id)
        m = relay.metrics(ssl_context=self.ssl) if relay.tls else relay.metrics()
        self.assertGreaterEqual(m["tether_relay_splices_total"], 2)
        return client_home


class PairingThroughRelay(RelayPairing):
    def test_pair_and_reconnect_through_a_plain_relay(self):
        relay = self.start_relay()
        daemon = self.start_daemon(relay.url(), echo=False)
        daemon.wait_linked()
        self.pair_through(relay, daemon)

    def test_pair_and_reconnect_through_a_tls_relay(self):
        ca, cert, key = make_certs(self.tmp)
        self.ssl = ssl.create_default_context(cafile=ca)
        relay = self.start_relay(tls=(cert, key))
        daemon = self.start_daemon(relay.url().replace("127.0.0.1", "localhost"), "--relay-ca", ca, echo=False)
        daemon.wait_linked()
        self.pair_through(relay, daemon, "--relay-ca", ca)


class AttachThroughRelay(RelayPairing):
    """`tether --host H attach`: resumes across a relay restart, and otherwise ends with exit 1
    and the reason — never a silent exit 0."""

    def setUp(self):
        super().setUp()
        self.relay = self.start_relay()
        self.daemon = self.start_daemon(self.relay.url(), echo=False)
        self.daemon.wait_linked()
        self.client_home = self.pair_through(self.relay, self.daemon)
        work = os.path.join(self.tmp, "work")
        os.makedirs(work, exist_ok=True)
        r = run_cli("run", "--home", self.daemon.home, "--provider", "terminal", "--detach", "--json", "--cwd", work, "--",
                    "sh", "-c", 'while read l; do echo "got $l"; done')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.session = json.loads(r.stdout)["id"]
        self.follower = Follower(self.client_home, self.session)
        self.addCleanup(self.follower.stop)
        self.send_and_see("first")

    def send_and_see(self, word):
        self.assertEqual(run_cli("send", self.session, word, home=self.daemon.home).returncode, 0)
        wait_for(lambda: f"got {word}" in self.follower.out, timeout=30, what=f"'got {word}' in attach's output")

    def test_it_resumes_after_the_relay_restarts(self):
        port = self.relay.port
        self.relay.stop(self)
        self.relay = self.start_relay(port=port)
        self.daemon.wait_linked(timeout=30)
        self.send_and_see("second")
        self.assertIsNone(self.follower.proc.poll())
        self.assertIn("reconnecting", self.follower.err)
        self.assertEqual(self.follower.out.count("got first"), 1, "events seen before the restart came again")

    def test_a_revocation_ends_it_with_exit_1_and_the_reason(self):
        device = json.loads(run_cli("devices", "--json", home=self.daemon.home).stdout)["devices"][0]["id"]
        self.assertEqual(run_cli("devices", "revoke", device, home=self.daemon.home).returncode, 0)
        self.assertEqual(self.follower.wait_exit(), 1)
        self.assertIn("this device was revoked", self.follower.err)

    def test_the_daemon_stopping_ends_it_with_exit_1_and_the_reason(self):
        self.daemon.stop(self)
        self.assertEqual(self.follower.wait_exit(), 1)
        self.assertIn("the daemon stopped", self.follower.err)


if __name__ == "__main__":
    unittest.main()
