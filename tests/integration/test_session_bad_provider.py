"""A `claude` that misbehaves (tests/fakes/bad_claude/, given with --claude-bin): garbage
output, a 20 MB line, an immediate failure, or no binary at all. Each session ends in an
error the user can read; the daemon lives on and exits clean (no sanitizer report)."""
import os
import unittest

from session_harness import Follower, SessionTest

BAD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes", "bad_claude")


class BadProviderTest(SessionTest):
    def run_bad(self, script):
        """Starts a daemon on the bad `claude`, one session on it; returns (daemon, client, follower)."""
        daemon = self.start_daemon("--claude-bin", os.path.join(BAD, script), env=self.env)
        c = self.client()
        sid = self.create(c, "[text:hello]")
        f = Follower(c, sid)
        return daemon, c, f

    def assert_failed_with(self, f, code):
        status = f.wait_status("error")
        self.assertEqual(status["data"]["code"], code, status)
        exit_errors = [e for e in f.events if e["kind"] == "error"
                       and e["data"]["message"].startswith(f"the agent exited with status {code}")]
        self.assertEqual(len(exit_errors), 1, f.events)
        self.assertLess(exit_errors[0]["seq"], status["seq"])
        return exit_errors[0]

    def assert_daemon_fine(self, daemon, c):
        info = c.result("daemon.info")
        self.assertEqual(info["pid"], daemon.proc.pid)
        self.assertEqual(c.result("approval.list")["approvals"], [])
        c.close()
        self.assertEqual(daemon.stop(), 0)
        daemon.assert_clean_exit(self)

    def test_garbage_output_then_exit_3(self):
        daemon, c, f = self.run_bad("garbage")
        self.assert_failed_with(f, 3)
        not_json = [e for e in f.events if e["kind"] == "error" and "not JSON" in e["data"]["message"]]
        lines = [e["data"].get("line") for e in not_json]
        # The first line, one that is JSON but no object, and the last one, which had no newline.
        for expected in ("this is not JSON", "[1, 2, 3]", '{"unterminated":'):
            self.assertIn(expected, lines)
        self.assert_daemon_fine(daemon, c)

    def test_a_20_mb_line_is_dropped_and_reported(self):
        daemon, c, f = self.run_bad("huge_line")
        self.assert_failed_with(f, 4)
        over = [e for e in f.events if e["kind"] == "error" and "over the limit" in e["data"]["message"]]
        self.assertEqual(len(over), 1, [e["kind"] for e in f.events])
        json_around = len('{"type": "assistant", "message": {"content": [{"type": "text", "text": "') + len('"}]}}')
        self.assertIn(f"a line of {20 * (1 << 20) + json_around} bytes", over[0]["data"]["message"])
        self.assertEqual([e for e in f.events if e["kind"] == "assistant_text"], [])
        self.assert_daemon_fine(daemon, c)

    def test_20_mb_without_a_newline_is_dropped_and_reported(self):
        daemon, c, f = self.run_bad("huge_line_unterminated")
        self.assert_failed_with(f, 5)
        over = [e for e in f.events if e["kind"] == "error" and "over the limit" in e["data"]["message"]]
        self.assertEqual(len(over), 1, [e["kind"] for e in f.events])
        self.assertIn(f"a line of {20 * (1 << 20)} bytes", over[0]["data"]["message"])
        self.assertEqual([e for e in f.events if e["kind"] == "raw"], [])
        self.assert_daemon_fine(daemon, c)

    def test_immediate_exit_reports_the_status_and_stderr(self):
        daemon, c, f = self.run_bad("exit_at_once")
        error = self.assert_failed_with(f, 1)
        self.assertIn("cannot start: the configuration is unreadable", error["data"]["message"])
        self.assert_daemon_fine(daemon, c)

    def test_missing_binary_refuses_the_session(self):
        daemon = self.start_daemon("--claude-bin", "/nonexistent/claude", env=self.env)
        c = self.client()
        reply = c.call("session.create", {"cwd": self.work, "prompt": "[text:hello]"})
        self.assertIn("error", reply, reply)
        self.assertEqual(reply["error"]["data"]["code"], "provider_missing", reply)
        self.assertIn("/nonexistent/claude", reply["error"]["message"])
        self.assertEqual(c.result("session.list")["sessions"], [])
        self.assert_daemon_fine(daemon, c)


if __name__ == "__main__":
    unittest.main()


class BadOtherProvidersTest(SessionTest):
    """The same broken programs given as the Codex and OpenCode binaries: an error event and
    status error for the session, and a daemon that lives on and exits clean."""

    def check(self, provider, script, code):
        daemon = self.start_daemon(f"--{provider}-bin", os.path.join(BAD, script), env=self.env)
        c = self.client()
        sid = c.result("session.create", {"provider": provider, "cwd": self.work, "prompt": "[text:hello]"})["id"]
        f = Follower(c, sid)
        status = f.wait_status("error")
        self.assertEqual(status["data"].get("code"), code, status)
        errors = [e for e in f.events if e["kind"] == "error"]
        self.assertTrue(errors, [e["kind"] for e in f.events])
        self.assertLess(errors[0]["seq"], status["seq"])
        self.assertEqual(c.result("daemon.info")["pid"], daemon.proc.pid)
        c.close()
        self.assertEqual(daemon.stop(), 0)
        daemon.assert_clean_exit(self)

    def test_codex_garbage(self):
        self.check("codex", "garbage", 3)

    def test_codex_exits_at_once(self):
        self.check("codex", "exit_at_once", 1)

    def test_opencode_garbage(self):
        self.check("opencode", "garbage", 3)

    def test_opencode_exits_at_once(self):
        self.check("opencode", "exit_at_once", 1)
