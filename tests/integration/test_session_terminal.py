"""Terminal sessions: bash in a pseudo-terminal, typed into from a paired device through
the relay, resized, watched by a late device that replays the output, refused to a
read-only device; the exit code recorded; stop kills the whole process group."""
import base64
import os
import re
import subprocess
import time
import unittest

from harness import TETHER
from relay_harness import wait_for
from session_harness import TURN_TIMEOUT, Follower
from test_session_devices import Attached, SessionDevicesTest

BASH = ["bash", "--noprofile", "--norc"]


def output_of(events):
    """The terminal's bytes, in order, as text without control sequences (bash turns
    bracketed paste on and off around each prompt)."""
    data = b"".join(base64.urlsafe_b64decode(e["data"]["data"] + "=" * (-len(e["data"]["data"]) % 4))
                    for e in events if e["kind"] == "terminal_output")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", data.decode(errors="replace"))


class TerminalSessions(SessionDevicesTest):
    def create_terminal(self, command=BASH, **extra):
        return self.local.result("session.create", {"provider": "terminal", "cwd": self.work, "command": command,
                                                    "cols": 80, "rows": 24, **extra})["id"]

    def test_type_from_a_device_resize_replay_read_only_and_exit_code(self):
        full = self.pair("full")
        reader = self.pair("reader", read_only=True)
        sid = self.create_terminal()
        watcher = Attached(full, sid, os.path.join(self.tmp, "attach-full.log"))
        self.attached.append(watcher)
        watcher.wait_kind("terminal_started")

        r = full.run("send", sid, "echo $((6*7))")
        self.assertEqual(r.returncode, 0, r.stderr)
        watcher.wait_for(lambda e: re.search(r"[\r\n]42\r\n", output_of(watcher.events)) is not None, what="42 on the terminal")

        r = reader.run("send", sid, "touch typed-by-reader")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("read_only", r.stderr)

        self.local.result("terminal.resize", {"session": sid, "cols": 100, "rows": 30})
        full.run("send", sid, "stty size")
        watcher.wait_for(lambda e: "30 100" in output_of(watcher.events), what="the new size seen by stty")

        late = Attached(reader, sid, os.path.join(self.tmp, "attach-late.log"))  # read-only devices may watch
        self.attached.append(late)
        late.wait_for(lambda e: "30 100" in output_of(late.events), what="the replayed screen")
        self.assertRegex(output_of(late.events), r"[\r\n]42\r\n")
        self.assertEqual([e["seq"] for e in late.events], list(range(1, len(late.events) + 1)))

        full.run("send", sid, "exit 3")
        watcher.wait_kind("status", status="exited")
        self.assertEqual(watcher.events[-1]["data"]["code"], 3)
        self.assertFalse(os.path.exists(os.path.join(self.work, "typed-by-reader")))
        self.assertEqual(self.local.result("session.get", {"session": sid})["status"], "exited")

    def test_stop_kills_the_whole_process_group(self):
        sid = self.create_terminal(["bash", "--noprofile", "--norc", "-c", "sleep 300 & echo child=$!; wait"])
        f = Follower(self.local, sid)
        pid = int(re.search(r"child=(\d+)", f.wait_for(
            lambda e: re.search(r"child=\d+", output_of(f.events)) is not None, what="the child's pid") and
            output_of(f.events)).group(1))
        self.assertTrue(os.path.exists(f"/proc/{pid}"))
        self.local.result("session.stop", {"session": sid})
        f.wait_status("exited")

        def gone():
            try:
                with open(f"/proc/{pid}/stat") as st:
                    return ") Z" in st.read()  # a zombie waiting for its reaper is dead
            except FileNotFoundError:
                return True
        wait_for(gone, timeout=10, what="the sleep child to die")

    def test_input_to_a_prompt_session_or_an_ended_terminal_is_refused(self):
        sid = self.create_terminal(["true"])
        f = Follower(self.local, sid)
        f.wait_status("exited")
        reply = self.local.call("terminal.input", {"session": sid, "data": "x"})
        self.assertEqual(reply["error"]["data"]["code"], "not_running")
        # A line sent to the ended terminal is refused, and its status stays exited.
        sent = self.local.call("session.send", {"session": sid, "text": "echo hi"})
        self.assertEqual(sent["error"]["data"]["code"], "not_running")
        self.assertIn("terminal has ended", sent["error"]["message"])
        self.assertEqual(self.local.result("session.get", {"session": sid})["status"], "exited")
        bad = self.local.call("session.create", {"provider": "terminal", "cwd": self.work, "command": "not-an-array"})
        self.assertEqual(bad["error"]["data"]["code"], "invalid_params")
        # A command that cannot start is refused before any session exists: no ghost left.
        before = {s["id"] for s in self.local.result("session.list")["sessions"]}
        for command, named in ((["/nonexistent/program"], "/nonexistent/program"), (["no-such-program-xyz"], "no-such-program-xyz"),
                               ([], "non-empty array"), ([1, 2], "non-empty array of strings"), ([""], "cannot run")):
            refused = self.local.call("session.create", {"provider": "terminal", "cwd": self.work, "command": command})
            self.assertEqual(refused["error"]["data"]["code"], "invalid_params", command)
            self.assertIn(named, refused["error"]["message"], command)
        self.assertEqual({s["id"] for s in self.local.result("session.list")["sessions"]}, before)
        # A program that exits at once with a status: recorded, not an error.
        quick = self.create_terminal(["bash", "--noprofile", "--norc", "-c", "exit 9"])
        h = Follower(self.local, quick)
        self.assertEqual(h.wait_status("exited")["data"]["code"], 9)
        self.assertIn("daemon_id", self.local.result("daemon.info"))

    def test_run_without_a_tty_prints_the_programs_output(self):
        r = subprocess.run([TETHER, "run", "--home", self.home, "--provider", "terminal", "--cwd", self.work, "--",
                            "bash", "--noprofile", "--norc", "-c", "echo from-the-terminal"],
                           capture_output=True, text=True, timeout=TURN_TIMEOUT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("from-the-terminal", r.stdout)


if __name__ == "__main__":
    unittest.main()
