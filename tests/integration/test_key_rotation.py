"""`tether key rotate`: a new daemon identity signed over by the old one. A paired CLI device
that connects during the rotation is answered on the old key, checks the statement and keeps
the new key; the rotation is audited; it is refused while the daemon runs."""
import json
import os
import socket
import subprocess
import unittest

from harness import TETHER, TempHomeTest, mode_of, run_cli


class KeyRotation(TempHomeTest):
    def pair_cli(self):
        self.client_home = os.path.join(self.tmp, "client")
        p = subprocess.Popen([TETHER, "pair", "--home", self.home, "--json", "--yes"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        offer = json.loads(p.stdout.readline())
        r = run_cli("remote", "add", "box", offer["link"], "--yes", "--json", home=self.client_home)
        self.assertEqual(r.returncode, 0, r.stderr)
        p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0)

    def host_entry(self):
        with open(os.path.join(self.client_home, "remotes.json")) as f:
            return json.load(f)["box"]

    def free_port(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def test_a_paired_device_moves_to_the_new_key_at_its_next_connection(self):
        listen = ("--listen", f"127.0.0.1:{self.free_port()}")  # the device keeps the address it paired with
        d = self.start_daemon(*listen)
        self.pair_cli()
        old_id = json.loads(run_cli("status", "--json", home=self.home).stdout)["daemon_id"]
        busy = run_cli("key", "rotate", home=self.home)
        self.assertEqual(busy.returncode, 1)
        self.assertIn("stop it", busy.stderr)
        d.stop()
        d.assert_clean_exit(self)

        r = run_cli("key", "rotate", "--json", home=self.home)
        self.assertEqual(r.returncode, 0, r.stderr)
        rotated = json.loads(r.stdout)
        self.assertEqual(rotated["old_daemon_id"], old_id)
        self.assertNotEqual(rotated["daemon_id"], old_id)
        for name in ("daemon.key", "daemon.previous.key", "key-rotation.txt"):
            self.assertEqual(mode_of(os.path.join(self.home, name)), 0o600, name)
        again = run_cli("key", "rotate", home=self.home)
        self.assertEqual(again.returncode, 1)
        self.assertIn("under way", again.stderr)

        d = self.start_daemon(*listen)
        info = json.loads(run_cli("status", "--json", home=self.home).stdout)
        self.assertEqual(info["daemon_id"], rotated["daemon_id"])
        self.assertEqual(info["key_rotation"]["previous_daemon_id"], old_id)
        self.assertIn(f"key rotation       devices on {old_id} move to it until", run_cli("status", home=self.home).stdout)
        self.assertEqual(self.host_entry()["daemon_id"], old_id)
        first = run_cli("--host", "box", "status", "--json", home=self.client_home)
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("rotated its key", first.stderr)
        self.assertEqual(self.host_entry()["daemon_id"], rotated["daemon_id"])
        self.assertEqual(self.host_entry()["noise_key"], rotated["noise_key"])
        second = run_cli("--host", "box", "status", "--json", home=self.client_home)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertNotIn("rotated", second.stderr)  # now on the new key
        audit = json.loads(run_cli("audit", "--json", home=self.home).stdout)["entries"]
        self.assertIn("key_rotate", [e["action"] for e in audit])
        d.stop()
        d.assert_clean_exit(self)

    def test_a_forged_rotation_file_stops_the_daemon_from_starting(self):
        d = self.start_daemon()
        d.stop()
        d.assert_clean_exit(self)
        self.assertEqual(run_cli("key", "rotate", home=self.home).returncode, 0)
        path = os.path.join(self.home, "key-rotation.txt")
        with open(path) as f:
            lines = f.read().split("\n")
        lines[4] = str(int(lines[4]) + 1)  # a later deadline than the old key signed
        with open(path, "w") as f:
            f.write("\n".join(lines))
        r = subprocess.run([TETHER, "daemon", "--home", self.home, "--listen", "127.0.0.1:0"], capture_output=True,
                           text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("signature does not verify", r.stderr)


if __name__ == "__main__":
    unittest.main()
