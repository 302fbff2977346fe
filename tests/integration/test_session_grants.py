"""A "for this session" grant with the real Claude Code CLI: an allow with scope `session`
lets the same call run again in that session without asking (answered by `session`), while
another command in that session, and the same command in a new session, still ask."""
import os
import unittest

from session_harness import Follower, SessionTest, wait_after

COMMAND = "echo again >> out.txt"


class SessionGrantTest(SessionTest):
    def out(self):
        with open(os.path.join(self.work, "out.txt")) as f:
            return f.read()

    def send(self, client, follower, sid, text):
        """Sends a prompt; the seq of the last event before it."""
        last = follower.events[-1]["seq"]
        client.result("session.send", {"session": sid, "text": text})
        return last

    def test_a_session_grant_covers_the_same_call_in_that_session_only(self):
        self.start_session_daemon()
        c = self.client()
        sid = self.create(c, f"please [bash:{COMMAND}]", mode="ask")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested")
        self.assertEqual(asked["data"]["input"]["command"], COMMAND)
        reply = c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "allow", "scope": "session"})
        self.assertEqual(reply["scope"], "session")
        first = f.wait_kind("approval_resolved", approval_id=asked["data"]["approval_id"])
        self.assertEqual(first["data"]["scope"], "session")
        f.wait_status("idle")
        self.assertEqual(self.out(), "again\n")

        # The same call again: the grant answers it, no question.
        last = self.send(c, f, sid, f"once more [bash:{COMMAND}]")
        granted = f.wait_for(lambda e: e["seq"] > last and e["kind"] in ("approval_resolved", "approval_requested"),
                             what="the granted call's answer")
        self.assertEqual(granted["kind"], "approval_resolved", "the granted call asked again")
        self.assertEqual((granted["data"]["by"], granted["data"]["decision"], granted["data"].get("automatic")),
                         ("session", "allow", True), granted)
        self.assertEqual(granted["data"]["tool"], "Bash")
        result = wait_after(f, last, "tool_result")
        self.assertFalse(result["data"]["is_error"], result)
        wait_after(f, result["seq"], "status", status="idle")
        self.assertEqual([e for e in f.events if e["seq"] > last and e["kind"] == "approval_requested"], [],
                         "the granted call asked again")
        self.assertEqual(self.out(), "again\nagain\n")
        self.assertEqual(c.result("approval.list")["approvals"], [])

        # Another command in the same session is not covered.
        last = self.send(c, f, sid, "[bash:echo other >> out.txt]")
        other = wait_after(f, last, "approval_requested")
        self.assertEqual(other["data"]["input"]["command"], "echo other >> out.txt")
        c.result("approval.respond", {"id": other["data"]["approval_id"], "decision": "deny"})
        wait_after(f, other["seq"], "status", status="idle")
        self.assertEqual(self.out(), "again\nagain\n")

        # A new session in the same directory asks again for the granted command.
        sid2 = self.create(c, f"please [bash:{COMMAND}]", mode="ask")
        f2 = Follower(c, sid2)
        asked2 = f2.wait_kind("approval_requested")
        self.assertEqual(asked2["data"]["input"]["command"], COMMAND)
        self.assertEqual(self.out(), "again\nagain\n", "the new session ran the command before asking")
        c.result("approval.respond", {"id": asked2["data"]["approval_id"], "decision": "deny"})
        f2.wait_status("idle")
        self.assertEqual(self.out(), "again\nagain\n")
        self.assertEqual(c.result("rule.list")["rules"], [], "a session grant is not a stored rule")
        self.assert_fake_clean()


if __name__ == "__main__":
    unittest.main()
