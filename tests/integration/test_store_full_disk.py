"""A full disk under the store: a terminal session's output that cannot be stored is not
lost silently. While storing fails, daemon.info, `tether status`, session.get and `tether ls`
say so; once there is room again the daemon stores by itself, and an `output_lost` event
says how many events and bytes are missing, between when and when, with the seqs still
gap-free.

The home is a small tmpfs mounted in a user and mount namespace of this test process's own
(unshare(2), no root needed); where the kernel does not allow that, the test is skipped."""
import base64
import ctypes
import errno
import os
import unittest

from harness import TempHomeTest, run_cli
from relay_harness import wait_for
from session_harness import Client, Follower

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_REC = 0x4000
MS_PRIVATE = 0x40000

SEQ_LAST = 200000
# What `seq 1 SEQ_LAST` writes to the terminal: each number and "\r\n" (the pty's newline).
SEQ_BYTES = sum(len(str(n)) + 2 for n in range(1, SEQ_LAST + 1))

_libc = ctypes.CDLL(None, use_errno=True)
_namespace_error = None


def _errno_text():
    return os.strerror(ctypes.get_errno())


def setUpModule():
    """Enters a user namespace (this uid as root) with a mount namespace of its own, once,
    before any thread exists, so that this process and its children can mount a tmpfs."""
    global _namespace_error
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0:
        _namespace_error = f"unshare(CLONE_NEWUSER|CLONE_NEWNS): {_errno_text()}"
        return
    try:
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"0 {gid} 1")
    except OSError as e:
        _namespace_error = f"mapping this uid in the new user namespace: {e}"
        return
    if _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        _namespace_error = f"making / private in the new mount namespace: {_errno_text()}"


def mount_tmpfs(path, size):
    if _libc.mount(b"tmpfs", path.encode(), b"tmpfs", 0, f"size={size},mode=0700".encode()) != 0:
        return f"mount -t tmpfs: {_errno_text()}"
    return None


def fill(path):
    """Writes `path` until the file system is full; returns how many bytes it took."""
    written = 0
    chunk = b"\0" * 65536
    with open(path, "wb", buffering=0) as f:
        while True:
            try:
                n = f.write(chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                n = 0
            if not n:
                if len(chunk) == 1:
                    return written
                chunk = chunk[: len(chunk) // 2]  # the last pages, to the last byte
                continue
            written += n


def terminal_bytes(events):
    return b"".join(base64.urlsafe_b64decode(e["data"]["data"] + "=" * (-len(e["data"]["data"]) % 4))
                    for e in events if e["kind"] == "terminal_output")


def terminal_text(events):
    return terminal_bytes(events).decode(errors="replace")


class StoreFullDisk(TempHomeTest):
    def setUp(self):
        super().setUp()
        if _namespace_error:
            self.skipTest(f"no user and mount namespace here ({_namespace_error})")
        os.makedirs(self.home, mode=0o700)
        failed = mount_tmpfs(self.home, "8m")
        if failed:
            self.skipTest(f"cannot mount a tmpfs in the namespace ({failed})")
        self.addCleanup(lambda: _libc.umount2(self.home.encode(), 0))
        self.work = os.path.join(self.tmp, "work")
        os.makedirs(self.work)

    def info(self, client):
        return client.result("daemon.info")

    def test_output_that_cannot_be_stored_is_told_by_an_output_lost_event_once_storing_works(self):
        d = self.start_daemon("--no-direct")
        local = Client(d.socket_path)
        self.addCleanup(local.close)
        sid = local.result("session.create", {"provider": "terminal", "cwd": self.work,
                                              "command": ["bash", "--noprofile", "--norc"], "cols": 80, "rows": 24})["id"]
        f = Follower(local, sid)
        local.result("session.send", {"session": sid, "text": "echo READY-$((6*7))"})
        f.wait_for(lambda e: "READY-42" in terminal_text(f.events), what="the shell's first answer")
        self.assertEqual(self.info(local)["storing"], {"ok": True})
        self.assertFalse(local.result("session.get", {"session": sid})["storing_failed"])

        filler = os.path.join(self.home, "filler")
        self.assertGreater(fill(filler), 0)
        local.result("session.send", {"session": sid, "text": f"seq 1 {SEQ_LAST}"})
        wait_for(lambda: not self.info(local)["storing"]["ok"], timeout=30, what="daemon.info to say storing fails")
        # The loss grows while the output runs; it is complete once it stops growing.
        counts = []

        def settled():
            storing = self.info(local)["storing"]
            counts.append((storing["lost_events"], storing["lost_bytes"]))
            return len(counts) >= 3 and counts[-1] == counts[-2] == counts[-3] and counts[-1][1] > 0
        wait_for(settled, timeout=60, interval=0.5, what="the lost output to stop growing")
        storing = self.info(local)["storing"]
        self.assertFalse(storing["ok"])
        self.assertIn("full", storing["last_error"])
        self.assertTrue(local.result("session.get", {"session": sid})["storing_failed"])
        status = run_cli("status", home=self.home)
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertRegex(status.stdout, r"storing\s+FAILING since .*: \d+ event\(s\) \(\d+ bytes\) lost so far")
        listed = run_cli("ls", home=self.home)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertRegex(listed.stdout, sid + r" .*\(output lost\)")

        os.remove(filler)  # room again; nothing is sent: the daemon retries by itself
        lost = f.wait_kind("output_lost", timeout=30)
        self.assertEqual(self.info(local)["storing"], {"ok": True})
        self.assertFalse(local.result("session.get", {"session": sid})["storing_failed"])
        self.assertNotIn("(output lost)", run_cli("ls", home=self.home).stdout)
        self.assertIn("storing            ok", run_cli("status", home=self.home).stdout)
        self.assertGreater(lost["data"]["events"], 0)
        self.assertLessEqual(lost["data"]["from"], lost["data"]["to"])
        self.assertIn("full", lost["data"]["reason"])

        local.result("session.send", {"session": sid, "text": "echo AFTER-$((6*7))"})
        f.wait_for(lambda e: "AFTER-42" in terminal_text(f.events), what="output stored again")
        # Every byte the shell wrote is stored or counted: the lost events' data (base64url
        # in {"data":"…"}, about 4/3 of the bytes, plus 11 per event) covers what is missing.
        missing = SEQ_BYTES - len(terminal_bytes(f.events))  # what is lost is at least this
        extra = 1000  # at most: prompts and echoed commands, stored or lost
        events = lost["data"]["events"]
        self.assertGreater(missing, 0)
        self.assertGreaterEqual(lost["data"]["bytes"], 4 * missing // 3 + 11 * events)
        self.assertLessEqual(lost["data"]["bytes"], 4 * (missing + extra) // 3 + 12 * events)
        page = local.result("session.events", {"session": sid, "since": 0, "limit": 10000})
        self.assertEqual([e["seq"] for e in page["events"]], list(range(1, len(page["events"]) + 1)))
        self.assertEqual(d.stop(), 0)
        d.assert_clean_exit(self)


if __name__ == "__main__":
    unittest.main()
