"""The session commands of the CLI against a daemon running the real Claude Code CLI:
`run` follows a turn to its end, `ls`, `logs`, `approvals`, `approve --always`, `rules`."""
import json
import os
import subprocess
import threading
import time
import unittest

from harness import TETHER, run_cli
from session_harness import SessionTest


class SessionCli(SessionTest):
    def cli(self, *args, timeout=90):
        return run_cli(*args, home=self.home, timeout=timeout)

    def test_run_follows_the_turn_and_ls_and_logs_show_it(self):
        self.start_session_daemon()
        r = self.cli("run", "--cwd", self.work, "[text:hello from the cli]")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("hello from the cli", r.stdout)
        self.assertIn("[idle]", r.stdout)
        sessions = json.loads(self.cli("ls", "--json").stdout)["sessions"]
        self.assertEqual(len(sessions), 1)
        sid = sessions[0]["id"]
        self.assertEqual(sessions[0]["status"], "idle")
        self.assertEqual(os.path.realpath(sessions[0]["cwd"]), os.path.realpath(self.work))
        logs = [json.loads(line) for line in self.cli("logs", sid, "--json").stdout.splitlines()]
        self.assertEqual([e["seq"] for e in logs], list(range(1, len(logs) + 1)))
        self.assertIn({"text": "[text:hello from the cli]", "by": "owner"},
                      [e["data"] for e in logs if e["kind"] == "user_message"])
        human = self.cli("logs", sid).stdout
        self.assertIn("> [text:hello from the cli]", human)
        self.assertNotIn("\x1b[", human, "no colours when stdout is not a terminal")

    def test_logs_follows_pages_bounded_by_bytes(self):
        # Some 3 MB of terminal output: more than one 1 MiB page, whatever the chunk size.
        self.start_session_daemon()
        c = self.client()
        script = "import sys\nfor _ in range(800): sys.stdout.write('x' * 4000 + '\\n')\n"
        sid = c.result("session.create", {"provider": "terminal", "cwd": self.work, "command": ["python3", "-c", script]})["id"]
        deadline = time.monotonic() + 60
        while c.result("session.get", {"session": sid})["status"] != "exited":
            self.assertLess(time.monotonic(), deadline, "the terminal session never exited")
            time.sleep(0.2)
        first = c.result("session.events", {"session": sid, "limit": 10000})
        self.assertTrue(first["more"], "the output should take more than one page")
        r = self.cli("logs", sid, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        logs = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual([e["seq"] for e in logs], list(range(1, len(logs) + 1)))
        self.assertEqual(logs[-1]["kind"], "status")
        self.assertEqual(logs[-1]["data"]["status"], "exited")

    def test_the_agents_control_characters_reach_the_terminal_visible(self):
        # A window title (OSC 0 ... BEL), a screen clear and a backspace in the model's answer,
        # and in the prompt it echoes: printed as text, never as the terminal's commands.
        self.start_session_daemon()
        r = self.cli("run", "--cwd", self.work, "[text:a\x1b]0;owned\x07b \x1b[2J cleared\x08over]")
        self.assertEqual(r.returncode, 0, r.stderr)
        sid = json.loads(self.cli("ls", "--json").stdout)["sessions"][0]["id"]
        for out in (r.stdout, self.cli("logs", sid).stdout):
            for raw in ("\x1b", "\x07", "\x08"):
                self.assertNotIn(raw, out)
            self.assertIn("a\\x1b]0;owned\\x07b \\x1b[2J cleared\\x08over", out)
        # --json keeps the text as it was (JSON escapes it).
        logs = [json.loads(line) for line in self.cli("logs", sid, "--json").stdout.splitlines()]
        self.assertIn("a\x1b]0;owned\x07b \x1b[2J cleared\x08over",
                      [e["data"].get("text") for e in logs if e["kind"] == "assistant_text"])

    def test_a_turn_that_ends_in_an_api_error_exits_1(self):
        self.start_session_daemon()
        r = self.cli("run", "--cwd", self.work, "[http:400]")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("error", r.stdout)

    def test_approve_always_from_the_cli_stores_a_rule(self):
        self.start_session_daemon()
        # `run` waits for the turn; it will stop at the question, so run it in the background.
        proc = subprocess.Popen([TETHER, "run", "--home", self.home, "--cwd", self.work, "[bash:echo a > a.txt]"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(proc.kill)
        pending = []
        deadline = time.monotonic() + 60
        while not pending and time.monotonic() < deadline:
            pending = json.loads(self.cli("approvals", "--json").stdout)["approvals"]
            time.sleep(0.1)
        self.assertEqual(len(pending), 1)
        self.assertIn("echo a > a.txt", self.cli("approvals").stdout)
        r = self.cli("approve", pending[0]["id"], "--always")
        self.assertEqual(r.returncode, 0, r.stderr)
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        self.assertIn(f"tether approve {pending[0]['id']}", out)  # the question told how to answer it
        self.assertTrue(os.path.exists(os.path.join(self.work, "a.txt")))
        rules = json.loads(self.cli("rules", "--json").stdout)["rules"]
        self.assertEqual([(r["tool"], r["pattern"], r["decision"]) for r in rules], [("Bash", "exact:echo a > a.txt", "allow")])
        late = self.cli("approve", pending[0]["id"])
        self.assertEqual(late.returncode, 1)
        self.assertIn("already allowed", late.stderr)
        self.assertEqual(self.cli("rules", "rm", str(rules[0]["id"])).returncode, 0)
        self.assertEqual(json.loads(self.cli("rules", "--json").stdout)["rules"], [])


if __name__ == "__main__":
    unittest.main()
