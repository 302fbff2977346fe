"""Approvals with the real Claude Code CLI: allow and deny from the local API, the
events in seq order, and the denial text reaching the model."""
import os
import unittest

from session_harness import Follower, SessionTest


class ApprovalTest(SessionTest):
    def test_allow_runs_the_tool_and_events_come_in_order(self):
        self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "please [bash:echo hi > out.txt]")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested")
        self.assertEqual(asked["data"]["tool"], "Bash")
        self.assertEqual(asked["data"]["tier"], "elevated")
        self.assertEqual(asked["data"]["input"]["command"], "echo hi > out.txt")
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")), "the tool ran before the answer")
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "allow"})
        f.wait_kind("assistant_text", text="done")
        f.wait_status("idle")
        self.assertTrue(os.path.exists(os.path.join(self.work, "out.txt")))
        kinds = f.kinds()
        order = [kinds.index(k) for k in ("tool_call", "approval_requested", "approval_resolved", "tool_result")]
        self.assertEqual(order, sorted(order), kinds)
        self.assert_fake_clean()

    def test_deny_with_a_message_reaches_the_model(self):
        self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "please [bash:echo hi > out.txt]")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested")
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny",
                                      "message": "not in this repo, thanks"})
        f.wait_status("idle")
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")))
        last = self.fake.requests[-1]
        results = [b for m in last["messages"] if m.get("role") == "user" and isinstance(m.get("content"), list)
                   for b in m["content"] if isinstance(b, dict) and b.get("type") == "tool_result"]
        self.assertTrue(any("not in this repo, thanks" in str(r.get("content")) and r.get("is_error") for r in results), results)
        f.wait_kind("assistant_text", text="saw denial: not in this repo, thanks")

    def test_the_inbox_streams_every_question_and_its_answer(self):
        self.start_session_daemon()
        inbox = self.client()
        self.assertEqual(inbox.result("approval.subscribe"), {"approvals": []})
        c = self.client()
        sid = self.create(c, "please [bash:echo hi > out.txt]")
        asked = inbox.notifications.get(timeout=60)
        self.assertEqual(asked["method"], "approval.changed")
        self.assertEqual((asked["params"]["change"], asked["params"]["session"], asked["params"]["tool"]),
                         ("requested", sid, "Bash"))
        c.result("approval.respond", {"id": asked["params"]["approval_id"], "decision": "deny"})
        answered = inbox.notifications.get(timeout=30)
        self.assertEqual((answered["params"]["change"], answered["params"]["approval_id"], answered["params"]["decision"]),
                         ("resolved", asked["params"]["approval_id"], "deny"))

    def test_the_session_list_streams_each_change(self):
        self.start_session_daemon()
        watcher = self.client()
        self.assertEqual(watcher.result("session.watch"), {"sessions": []})
        c = self.client()
        sid = self.create(c, "please [bash:echo hi > out.txt]")
        seen = []

        def next_change():
            n = watcher.notifications.get(timeout=60)
            self.assertEqual(n["method"], "session.changed")
            self.assertEqual(n["params"]["id"], sid)
            seen.append((n["params"]["status"], n["params"]["pending_approvals"]))
            return n["params"]

        while next_change()["status"] != "waiting_for_approval":
            pass
        self.assertEqual(seen[0], ("starting", 0), "a new session is announced")
        self.assertEqual(seen[-1], ("waiting_for_approval", 1))
        approval = c.result("approval.list")["approvals"][0]["id"]
        c.result("approval.respond", {"id": approval, "decision": "allow"})
        while (change := next_change())["status"] != "idle":
            pass
        self.assertEqual(change["pending_approvals"], 0)
        self.assertGreater(change["last_seq"], 0)
        self.assertEqual(c.result("session.get", {"session": sid})["status"], "idle")


if __name__ == "__main__":
    unittest.main()
