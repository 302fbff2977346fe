"""The daemon's relay link: it comes back by itself after the relay restarts, within the
backoff cap, and `tether status` tells the link's state all along."""
import json
import signal
import time
import unittest

from harness import Daemon, run_cli
from relay_harness import RelayTest, connect_client, wait_for

BACKOFF_MAX_S = 1  # the daemons here run with --relay-backoff-max 1


class Restart(RelayTest):
    def echo_once(self, relay, daemon_id, payload):
        client = connect_client(relay, daemon_id)
        client.send_binary(payload)
        self.assertEqual(client.recv_binary(), payload)
        client.close()
        client.wait_close()

    def test_daemon_relinks_after_a_relay_restart(self):
        relay = self.start_relay()
        port = relay.port
        daemon = self.start_daemon(relay.url())
        daemon.wait_linked()
        human = run_cli("status", home=daemon.home)
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn(f"connected to ws://127.0.0.1:{port} (up ", human.stdout)
        self.echo_once(relay, daemon.id, b"before")

        for how in (signal.SIGTERM, signal.SIGKILL):
            relay.stop(self if how == signal.SIGTERM else None, sig=how)
            state = wait_for(lambda: daemon.relay_state()["state"] == "connecting" and daemon.relay_state(),
                             what="link down")
            self.assertIn("last_error", state)
            status = json.loads(run_cli("status", "--json", home=daemon.home).stdout)
            self.assertEqual(status["relay"]["state"], "connecting")
            human = run_cli("status", home=daemon.home).stdout
            self.assertIn(f"connecting to ws://127.0.0.1:{port}", human)
            self.assertIn("last error", human)
            time.sleep(2 * BACKOFF_MAX_S)  # let it fail a few times with the backoff at its cap

            relay = self.start_relay(port=port)
            restarted = time.monotonic()
            # Relinking needs one backoff delay (at most the cap) plus the handshake; the
            # bound below is generous because sanitizer builds start slowly.
            daemon.wait_linked(timeout=BACKOFF_MAX_S + 20)
            print(f"\nrelinked {time.monotonic() - restarted:.2f} s after the relay came back ({how.name})")
            self.echo_once(relay, daemon.id, b"after " + how.name.encode())
        daemon.stop(self)
        relay.stop(self)

    def test_status_without_a_relay_says_disabled(self):
        d = Daemon(self.tmp + "/plain-home")
        try:
            d.wait_ready()
            info = json.loads(run_cli("status", "--json", home=d.home).stdout)
            self.assertEqual(info["relay"], {"state": "disabled"})
            self.assertIn("relay              disabled", run_cli("status", home=d.home).stdout)
            d.stop()
            d.assert_clean_exit(self)
        finally:
            if d.proc.poll() is None:
                d.proc.kill()
                d.proc.wait()

if __name__ == "__main__":
    unittest.main()
