"""Fail closed: a question nobody answers is denied when it expires, and a daemon killed
while a question is pending leaves the tool unrun and the question denied after a restart."""
import os
import signal
import time
import unittest

from session_harness import Follower, SessionTest, session_events, tool_results_seen_by_model


def children_of(pid):
    """Pids whose parent is `pid` (from /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append(int(entry))
    return out


def has_exited(pid):
    """True once `pid` is gone or a zombie (nobody may reap an orphan in a container)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            stat = fh.read()
    except OSError:
        return True
    return stat[stat.rfind(")") + 2:].split()[0] in ("Z", "X")


class FailClosedTest(SessionTest):
    def test_unanswered_question_expires_as_a_denial(self):
        self.start_session_daemon("--approval-timeout", "1")
        c = self.client()
        sid = self.create(c, "[bash:echo hi > out.txt]")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested")
        approval_id = asked["data"]["approval_id"]
        resolved = f.wait_kind("approval_resolved", approval_id=approval_id)
        self.assertEqual((resolved["data"]["decision"], resolved["data"]["by"]), ("deny", "timeout"))
        f.wait_status("idle")
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")))
        results = tool_results_seen_by_model(self.fake)
        self.assertEqual(len(results), 1, results)
        self.assertIs(results[0].get("is_error"), True)
        self.assertEqual(c.result("approval.list")["approvals"], [])

        late = c.call("approval.respond", {"id": approval_id, "decision": "allow"})
        self.assertIn("error", late)
        # The daemon remembers who decided: the answer is late ("already_resolved"), not unknown ("not_found").
        self.assertEqual(late["error"]["data"]["code"], "already_resolved", late)
        self.assertIn("denied by timeout", late["error"]["message"])
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")))
        self.assert_fake_clean()

    def test_killed_daemon_leaves_the_tool_unrun_and_the_question_denied(self):
        daemon = self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "[bash:echo hi > out.txt]")
        f = Follower(c, sid)
        approval_id = f.wait_kind("approval_requested")["data"]["approval_id"]
        agents = children_of(daemon.proc.pid)
        self.assertEqual(len(agents), 1, "expected exactly one agent process under the daemon")
        with open(f"/proc/{agents[0]}/cmdline", "rb") as fh:
            self.assertIn(b"--permission-prompt-tool", fh.read())
        self.assertEqual(os.path.realpath(f"/proc/{agents[0]}/cwd"), os.path.realpath(self.work))

        c.close()
        daemon.stop(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not has_exited(agents[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(has_exited(agents[0]), "the agent outlived its daemon by 10 s")
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")), "the tool ran without an answer")

        self.start_session_daemon()
        c2 = self.client()
        self.assertEqual(c2.result("approval.list")["approvals"], [])
        events = session_events(c2, sid)
        denied = [e for e in events if e["kind"] == "approval_resolved"]
        self.assertEqual(len(denied), 1, events)
        self.assertEqual((denied[0]["data"]["decision"], denied[0]["data"]["by"]), ("deny", "daemon_stop"))
        self.assertEqual(c2.result("session.get", {"session": sid})["status"], "exited")
        self.assertEqual(c2.result("daemon.info")["counts"]["pending_approvals"], 0)
        # A new daemon run knows the question only from the store: still "already_resolved".
        late = c2.call("approval.respond", {"id": approval_id, "decision": "allow"})
        self.assertEqual(late["error"]["data"]["code"], "already_resolved", late)
        self.assertIn("daemon_stop", late["error"]["message"])
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")))


if __name__ == "__main__":
    unittest.main()


class AgentsDieWithTheDaemon(SessionTest):
    def test_kill_9_of_the_daemon_takes_its_agents_with_it(self):
        """No agent outlives the daemon that supervises it: nobody would answer its questions."""
        daemon = self.start_session_daemon()
        c = self.client()
        sid = c.result("session.create", {"provider": "terminal", "cwd": self.work, "command": ["sleep", "300"]})["id"]
        Follower(c, sid).wait_status("running")
        kids = children_of(daemon.proc.pid)
        self.assertEqual(len(kids), 1, kids)
        c.close()
        daemon.proc.kill()
        daemon.proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not has_exited(kids[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(has_exited(kids[0]), f"agent {kids[0]} outlived the daemon")
