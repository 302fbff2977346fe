"""Pairing and using a CLI device through the relay (plain and TLS), end to end:
real `tether relay`, `tether daemon --relay`, `tether pair` and `tether remote add`."""
import json
import os
import ssl
import subprocess
import unittest

from harness import TETHER, run_cli
from relay_harness import RelayTest, make_certs


class PairingThroughRelay(RelayTest):
    def pair_through(self, relay, daemon, *remote_args):
        client_home = os.path.join(self.tmp, "client")
        p = subprocess.Popen([TETHER, "pair", "--home", daemon.home, "--json", "--no-qr"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        offer = json.loads(p.stdout.readline())
        # the app's origin is the relay's own (https for wss)
        self.assertTrue(offer["link"].startswith("https://" if relay.tls else "http://"), offer["link"])
        self.assertIn(f":{relay.port}/#offer=", offer["link"])
        r = run_cli("remote", "add", "home-box", offer["link"], "--via", "relay", "--json", *remote_args, home=client_home)
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


if __name__ == "__main__":
    unittest.main()
