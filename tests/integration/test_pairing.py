"""Pairing a CLI device by link (direct mode), its key-only reconnects, refusals of
bad offers and unknown keys, read-only and revoked devices, the audit trail, and
the QR code that `tether pair` prints."""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import offer_codec
from harness import TETHER, TempHomeTest, run_cli


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url_encode(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


class Pairing(TempHomeTest):
    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()
        self.client_home = os.path.join(self.tmp, "client")

    def tearDown(self):
        self.d.stop()
        self.d.assert_clean_exit(self)
        super().tearDown()

    def start_pair(self, *extra):
        """Starts `tether pair --json`; returns (process, offer)."""
        p = subprocess.Popen([TETHER, "pair", "--home", self.home, "--json", "--yes", *extra],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        offer = json.loads(p.stdout.readline())
        return p, offer

    def remote(self, *args):
        """`tether remote add` answers yes to the SAS question (`tether pair --yes` does on its side)."""
        if args[:2] == ("remote", "add"):
            args = (*args, "--yes")
        return run_cli(*args, home=self.client_home)

    def audit(self):
        r = run_cli("audit", "--json", home=self.home)
        self.assertEqual(r.returncode, 0, r.stderr)
        return [e["action"] for e in json.loads(r.stdout)["entries"]]

    def devices(self):
        return json.loads(run_cli("devices", "--json", home=self.home).stdout)["devices"]

    def pair_cli(self, name, *pair_args):
        p, offer = self.start_pair(*pair_args)
        r = self.remote("remote", "add", name, offer["link"], "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        return json.loads(r.stdout), json.loads(out.strip().splitlines()[-1])

    def test_pair_by_link_same_sas_then_key_only_reconnects(self):
        cli, daemon_side = self.pair_cli("box")
        self.assertRegex(cli["sas"], r"^\d{6}$")
        self.assertEqual(cli["sas"], daemon_side["sas"])
        self.assertEqual(cli["device_id"], daemon_side["device_id"])
        self.assertEqual(cli["via"], "direct")
        self.assertEqual(os.stat(os.path.join(self.client_home, "remotes.json")).st_mode & 0o777, 0o600)
        for _ in range(2):  # later connections use the device key alone
            r = run_cli("--host", "box", "status", "--json", home=self.client_home)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)["daemon_id"], cli["daemon_id"])
        devices = self.devices()
        self.assertEqual(len(devices), 1)
        self.assertEqual(devices[0]["mode"], "full")
        actions = self.audit()
        self.assertIn("pair", actions)
        # A connect is a device that spoke on the channel: the two status calls (pairing
        # alone sends no request and is audited as "pair").
        self.assertGreaterEqual(actions.count("connect"), 2)
        self.assertGreaterEqual(actions.count("disconnect"), 1)

    def asking_pair(self, *extra):
        """`tether pair --json` that asks its question; returns (process, offer)."""
        p = subprocess.Popen([TETHER, "pair", "--home", self.home, "--json", *extra], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return p, json.loads(p.stdout.readline())

    def remote_add(self, name, link, answer=None):
        """`tether remote add` in the background, with `answer` typed at its question (None: --yes)."""
        args = [TETHER, "remote", "add", name, link, "--json", "--home", self.client_home]
        if answer is None:
            args.append("--yes")
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL if answer is None else subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if answer is not None:
            p.stdin.write(answer)
            p.stdin.flush()  # communicate() closes it
        return p

    def test_both_ends_answer_yes_to_the_same_code_and_only_then_the_device_is_paired(self):
        p, offer = self.asking_pair()
        r = self.remote_add("box", offer["link"], answer="y\n")
        handshake = json.loads(p.stdout.readline())
        self.assertEqual(handshake["state"], "confirming")
        self.assertRegex(handshake["sas"], r"^\d{6}$")
        # Asked, not yet answered: the device is listed as pending and can do nothing.
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not self.devices()[0]["pending"]:
            time.sleep(0.05)
        self.assertTrue(self.devices()[0]["pending"])
        self.assertIn("pairing (SAS not confirmed)", run_cli("devices", home=self.home).stdout)
        out, err = p.communicate("y\n", timeout=30)
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("Does the device show", err)
        self.assertEqual(json.loads(out.strip().splitlines()[-1])["state"], "paired")
        r_out, r_err = r.communicate(timeout=30)
        self.assertEqual(r.returncode, 0, r_err)
        self.assertIn("Does `tether pair` on that machine show", r_err)
        self.assertEqual(json.loads(r_out)["sas"], handshake["sas"])
        self.assertFalse(self.devices()[0]["pending"])
        self.assertIn("pair_confirmed", self.audit())
        self.assertEqual(run_cli("--host", "box", "status", home=self.client_home).returncode, 0)

    def test_the_owner_saying_the_codes_differ_revokes_the_device(self):
        p, offer = self.asking_pair()
        r = self.remote_add("box", offer["link"])
        json.loads(p.stdout.readline())  # the handshake is done
        _, err = p.communicate("n\n", timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("you said the codes differ", err)
        _, r_err = r.communicate(timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("revoked", r_err)
        self.assertIsNotNone(self.devices()[0]["revoked_at"])
        self.assertIn("pair_declined", self.audit())
        self.assertFalse(os.path.exists(os.path.join(self.client_home, "remotes.json")) and
                         "box" in json.load(open(os.path.join(self.client_home, "remotes.json"))))

    def test_the_device_saying_the_codes_differ_revokes_it(self):
        p, offer = self.start_pair()
        r = self.remote_add("box", offer["link"], answer="n\n")
        _, r_err = r.communicate(timeout=30)
        self.assertEqual(r.returncode, 1, r_err)
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("the device says the codes differ", err)
        self.assertIsNotNone(self.devices()[0]["revoked_at"])

    def test_no_answer_at_the_terminal_is_no(self):
        p = subprocess.Popen([TETHER, "pair", "--home", self.home, "--json"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        offer = json.loads(p.stdout.readline())
        r = self.remote_add("box", offer["link"])
        _, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("--yes", err)
        r.communicate(timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIsNotNone(self.devices()[0]["revoked_at"])

    def test_pairing_the_same_cli_again_replaces_its_device_and_keeps_the_owners_name(self):
        first, _ = self.pair_cli("box")
        again, daemon_side = self.pair_cli("box", "--name", "desk cli", "--read-only")
        self.assertTrue(again["replaced"])
        self.assertEqual(again["device_id"], first["device_id"])
        devices = self.devices()
        self.assertEqual(len(devices), 1)
        self.assertEqual(devices[0]["name"], "desk cli")  # not the CLI's own "tether-cli"
        self.assertEqual(devices[0]["mode"], "read_only")
        self.assertEqual(daemon_side["device_name"], "desk cli")
        hosts = json.loads(self.remote("remote", "ls", "--json").stdout)["hosts"]
        self.assertEqual(len(hosts), 1)
        self.assertEqual(hosts[0]["mode"], "read_only")
        # Revoked there, it pairs again with a fresh key: a new device, the old one stays revoked.
        self.assertEqual(run_cli("devices", "revoke", devices[0]["id"], home=self.home).returncode, 0)
        third, _ = self.pair_cli("box")
        self.assertNotEqual(third["device_id"], first["device_id"])
        self.assertEqual(len(self.devices()), 2)

    def test_offer_reuse_expiry_and_wrong_secret_are_refused_and_audited(self):
        _, offer = self.start_pair("--ttl", "30")
        first = self.remote("remote", "add", "a", offer["link"])
        self.assertEqual(first.returncode, 0, first.stderr)
        reuse = self.remote("remote", "add", "b", offer["link"])
        self.assertEqual(reuse.returncode, 1)
        self.assertIn("refused", reuse.stderr)

        expiring, short = self.start_pair("--ttl", "1")
        expiring.wait(timeout=30)
        self.assertEqual(expiring.returncode, 1)
        late = self.remote("remote", "add", "c", short["link"])
        self.assertEqual(late.returncode, 1)

        _, fresh = self.start_pair("--ttl", "60")
        data = json.loads(b64url_decode(fresh["offer"]))
        data["secret"] = b64url_encode(os.urandom(32))
        forged = fresh["link"].split("#offer=")[0] + "#offer=" + b64url_encode(json.dumps(data).encode())
        wrong = self.remote("remote", "add", "d", forged)
        self.assertEqual(wrong.returncode, 1)

        self.assertEqual(len(self.devices()), 1)
        self.assertGreaterEqual(self.audit().count("pair_failed"), 3)

    def test_a_flood_of_wrong_secrets_cools_pairing_off(self):
        _, offer = self.start_pair("--ttl", "120")
        data = json.loads(b64url_decode(offer["offer"]))
        right = dict(data)
        for i in range(10):
            data["secret"] = b64url_encode(os.urandom(32))
            link = offer["link"].split("#offer=")[0] + "#offer=" + b64url_encode(json.dumps(data).encode())
            self.assertEqual(self.remote("remote", "add", f"w{i}", link).returncode, 1)
        # a fresh offer, right secret: still refused during the cooling-off period
        _, offer2 = self.start_pair("--ttl", "120")
        r = self.remote("remote", "add", "right", offer2["link"])
        self.assertEqual(r.returncode, 1)
        self.assertEqual(self.devices(), [])
        self.assertIn("pair_failed", self.audit())

    def test_the_cli_reads_offers_of_version_two(self):
        # The daemon still writes version 1 (32-byte secrets); a version-2 link with the same
        # daemon and a 16-byte secret reaches it through the Noise key the CLI derives from the
        # id alone: the daemon reads the secret from inside the handshake and refuses it.
        _, offer = self.start_pair("--ttl", "60")
        data = offer_codec.read_v1(offer["link"])
        self.assertEqual(offer_codec.x25519_of_ed25519(data["daemon_key"]), data["noise_key"],
                         "the daemon's Noise key is the Montgomery form of its id")
        v2 = offer_codec.write(offer_codec.split(offer["link"])[0], dict(data, secret=os.urandom(16)))
        r = self.remote("remote", "add", "v2", v2)
        self.assertEqual(r.returncode, 1)
        self.assertIn("refused", r.stderr)
        self.assertIn("pair_failed", self.audit())
        for bad in (v2[:-4], v2 + "AAAA", offer_codec.split(v2)[1][:10]):
            r = self.remote("remote", "add", "bad", bad)
            self.assertEqual(r.returncode, 1, bad)
            self.assertIn("pairing link", r.stderr)
        self.assertEqual(self.devices(), [])

    def test_unknown_key_is_refused(self):
        cli, _ = self.pair_cli("box")
        path = os.path.join(self.client_home, "remotes.json")
        with open(path) as f:
            hosts = json.load(f)
        hosts["stranger"] = dict(hosts["box"], device_secret=b64url_encode(os.urandom(32)))
        with open(path, "w") as f:
            json.dump(hosts, f)
        r = run_cli("--host", "stranger", "status", home=self.client_home)
        self.assertEqual(r.returncode, 1)
        self.assertIn("refused", r.stderr)
        self.assertIn("connect_refused", self.audit())

    def test_read_only_device_reads_but_cannot_act(self):
        self.pair_cli("ro", "--read-only")
        self.assertEqual(run_cli("--host", "ro", "devices", "--json", home=self.client_home).returncode, 0)
        device_id = self.devices()[0]["id"]
        for args in (["devices", "rename", device_id, "x"], ["devices", "mode", device_id, "full"],
                     ["devices", "revoke", device_id], ["pair", "--no-qr"]):
            r = run_cli("--host", "ro", *args, home=self.client_home)
            self.assertEqual(r.returncode, 1, args)
            self.assertIn("not allowed", r.stderr, args)
        self.assertEqual(self.devices()[0]["mode"], "read_only")
        self.assertIsNone(self.devices()[0]["revoked_at"])

    def test_revoke_drops_a_live_connection(self):
        self.pair_cli("box")
        hold = subprocess.Popen([os.environ["DEVICE_HOLD_BIN"], self.client_home, "box"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and self.devices()[0]["live_connections"] < 1:
            time.sleep(0.05)
        self.assertEqual(self.devices()[0]["live_connections"], 1)
        self.assertEqual(run_cli("devices", "revoke", self.devices()[0]["id"], home=self.home).returncode, 0)
        # The revoke itself closes it (4403), not a timeout of the held connection.
        out, err = hold.communicate(timeout=10)
        self.assertEqual(out.strip(), "closed 4403", err)
        self.assertEqual(run_cli("--host", "box", "status", home=self.client_home).returncode, 1)

    def test_a_mode_change_reaches_a_live_device(self):
        self.pair_cli("box")
        device_id = self.devices()[0]["id"]
        self.assertEqual(run_cli("devices", "mode", device_id, "read_only", home=self.home).returncode, 0)
        r = run_cli("--host", "box", "devices", "rename", device_id, "x", home=self.client_home)
        self.assertEqual(r.returncode, 1)
        self.assertIn("not allowed", r.stderr)
        self.assertIn("set_mode", self.audit())

    def test_revoked_device_is_refused(self):
        self.pair_cli("box")
        device_id = self.devices()[0]["id"]
        self.assertEqual(run_cli("devices", "revoke", device_id, home=self.home).returncode, 0)
        r = run_cli("--host", "box", "status", home=self.client_home)
        self.assertEqual(r.returncode, 1)
        self.assertIn("refused", r.stderr)
        actions = self.audit()
        self.assertIn("revoke", actions)
        self.assertIn("connect_refused", actions)


@unittest.skipUnless(shutil.which("zbarimg"), "needs zbarimg (zbar-tools) to decode the QR code")
class QrCode(TempHomeTest):
    def test_printed_qr_decodes_to_the_link(self):
        self.start_daemon()
        p = subprocess.Popen([TETHER, "pair", "--home", self.home, "--ttl", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, _ = p.communicate(timeout=30)
        lines = out.splitlines()
        qr = [l for l in lines if l and set(l) <= set("█▀▄ ")]
        link = next(l.strip() for l in lines if "#offer=" in l)
        # Render the half blocks as pixels: a drawn half is light, a blank half is dark
        # (the light-on-dark terminal the code is drawn for), 8 pixels a module.
        rows = []
        for line in qr:
            top = [c in "█▀" for c in line]
            bottom = [c in "█▄" for c in line]
            rows += [top, bottom]
        scale = 8
        width = max(len(r) for r in rows)
        pbm = os.path.join(self.tmp, "qr.pbm")
        with open(pbm, "w") as f:
            f.write(f"P1\n{width * scale + 16} {len(rows) * scale + 16}\n")
            pad = "0 " * (width * scale + 16) + "\n"
            f.write(pad * 8)
            for r in rows:
                line = "0 " * 8 + "".join(("0 " if (r[i] if i < len(r) else True) else "1 ") * scale for i in range(width)) + "0 " * 8 + "\n"
                f.write(line * scale)
            f.write(pad * 8)
        r = subprocess.run(["zbarimg", "--quiet", "--raw", pbm], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), link)


class AppUrl(TempHomeTest):
    """`tether daemon --app-url`: where pairing links open the app, checked at start."""

    def test_links_open_the_app_at_the_configured_origin(self):
        d = self.start_daemon("--app-url", "https://app.example/")
        p = subprocess.Popen([TETHER, "pair", "--home", self.home, "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            offer = json.loads(p.stdout.readline())
        finally:
            p.terminate()
            p.communicate(timeout=10)
        self.assertTrue(offer["link"].startswith("https://app.example/#offer="), offer["link"])
        encoded = offer["link"].split("#offer=", 1)[1]
        self.assertTrue(json.loads(b64url_decode(encoded))["direct"].startswith("http://127.0.0.1:"),
                        "the offer still names the daemon's own endpoints")
        d.stop()
        d.assert_clean_exit(self)

    def test_a_bad_app_url_refuses_to_start(self):
        for bad in ("ftp://app.example", "https://", "https:///path", "https://app.example/?q=1",
                    "https://app.example/#x", "https://user@app.example", "app.example"):
            r = subprocess.run([TETHER, "daemon", "--home", self.home, "--listen", "127.0.0.1:0", "--app-url", bad],
                               capture_output=True, text=True, timeout=20)
            self.assertEqual(r.returncode, 2, (bad, r.stderr))
            self.assertIn("--app-url", r.stderr, bad)


if __name__ == "__main__":
    unittest.main()
