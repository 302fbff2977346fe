"""Approval modes and stored rules with the real Claude Code CLI: what runs without asking
in "edits" and "auto", that unknown (MCP) tools always ask, that safe tools never ask, and
that an "always" answer becomes a rule for its directory only."""
import json
import os
import sys
import unittest

from session_harness import Follower, SessionTest, session_events, wait_after

FAKE_MCP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes", "fake_mcp_server.py")


def kinds_with(events, kind, **fields):
    return [e for e in events if e["kind"] == kind and all(e["data"].get(k) == v for k, v in fields.items())]


class ModeTest(SessionTest):
    def test_edits_mode_writes_without_asking_but_bash_asks(self):
        self.start_session_daemon()
        c = self.client()
        target = os.path.join(self.work, "made.txt")
        sid = self.create(c, f"[write:{target}:made by edits mode]", mode="edits")
        f = Follower(c, sid)
        idle = f.wait_status("idle")
        with open(target) as fh:
            self.assertEqual(fh.read(), "made by edits mode")
        resolved = kinds_with(f.events, "approval_resolved", tool="Write")
        self.assertEqual(len(resolved), 1, f.events)
        self.assertIs(resolved[0]["data"]["automatic"], True)
        self.assertEqual(resolved[0]["data"]["by"], "mode:edits")
        self.assertEqual(resolved[0]["data"]["decision"], "allow")
        self.assertEqual(kinds_with(f.events, "approval_requested"), [], f.kinds())

        c.result("session.send", {"session": sid, "text": "[bash:echo x > b.txt]"})
        asked = wait_after(f, idle["seq"], "approval_requested")
        self.assertEqual(asked["data"]["tool"], "Bash")
        self.assertEqual(asked["data"]["tier"], "elevated")
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny"})
        wait_after(f, asked["seq"], "status", status="idle")
        self.assertFalse(os.path.exists(os.path.join(self.work, "b.txt")))
        self.assert_fake_clean()

    def test_auto_mode_runs_bash_but_an_unknown_mcp_tool_asks(self):
        marker = os.path.join(self.tmp, "poked.txt")
        # User-scope MCP config of the agent's HOME, read by claude at start (verified on 2.1.197).
        with open(os.path.join(self.env["HOME"], ".claude.json"), "w") as fh:
            json.dump({"mcpServers": {"fake": {"type": "stdio", "command": sys.executable,
                                               "args": [FAKE_MCP, "--marker", marker]}}}, fh)
        self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "[bash:echo x > f]", mode="auto")
        f = Follower(c, sid)
        idle = f.wait_status("idle")
        self.assertTrue(os.path.exists(os.path.join(self.work, "f")), f.kinds())
        resolved = kinds_with(f.events, "approval_resolved", tool="Bash")
        self.assertEqual(len(resolved), 1, f.events)
        self.assertIs(resolved[0]["data"]["automatic"], True)
        self.assertEqual(resolved[0]["data"]["by"], "mode:auto")
        self.assertEqual(kinds_with(f.events, "approval_requested"), [])

        c.result("session.send", {"session": sid, "text": "[tool:mcp__fake__poke:{}]"})
        asked = wait_after(f, idle["seq"], "approval_requested")
        self.assertEqual(asked["data"]["tool"], "mcp__fake__poke")
        self.assertEqual(asked["data"]["tier"], "unknown")
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny", "message": "no poking"})
        wait_after(f, asked["seq"], "assistant_text", text="saw denial: no poking")
        wait_after(f, asked["seq"], "status", status="idle")
        self.assertFalse(os.path.exists(marker), "the MCP tool ran although it was denied")
        self.assert_fake_clean()

    def test_safe_tool_never_asks(self):
        # Outside the work directory, so that the CLI itself does not wave the read through.
        path = os.path.join(self.tmp, "notes.txt")
        with open(path, "w") as fh:
            fh.write("safe to read\n")
        self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "[tool:Read:" + json.dumps({"file_path": path}) + "]", mode="ask")
        f = Follower(c, sid)
        result = f.wait_kind("tool_result")
        self.assertFalse(result["data"]["is_error"], result)
        self.assertIn("safe to read", result["data"]["content"])
        f.wait_status("idle")
        self.assertEqual(kinds_with(f.events, "approval_requested"), [], f.kinds())
        # The CLI asks about a read outside its directory (2.1.197); tether answers by itself.
        answers = [(r["data"]["tool"], r["data"]["by"], r["data"]["automatic"], r["data"]["decision"])
                   for r in kinds_with(f.events, "approval_resolved")]
        self.assertEqual(answers, [("Read", "tier:safe", True, "allow")], f.events)
        self.assert_fake_clean()

    def test_always_rule_applies_to_its_directory_only(self):
        dir_a = os.path.join(self.tmp, "a")
        dir_b = os.path.join(self.tmp, "b")
        os.makedirs(dir_a)
        os.makedirs(dir_b)
        prompt = "[bash:echo a > a.txt]"
        self.start_session_daemon()
        c = self.client()

        s1 = self.create(c, prompt, mode="ask", cwd=dir_a)
        f1 = Follower(c, s1)
        asked = f1.wait_kind("approval_requested")
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "allow", "scope": "always"})
        f1.wait_status("idle")
        self.assertTrue(os.path.exists(os.path.join(dir_a, "a.txt")))
        rules = c.result("rule.list")["rules"]
        self.assertEqual(len(rules), 1, rules)
        rule = rules[0]
        self.assertEqual((rule["dir"], rule["tool"], rule["pattern"], rule["decision"]),
                         (os.path.realpath(dir_a), "Bash", "exact:echo a > a.txt", "allow"))

        os.remove(os.path.join(dir_a, "a.txt"))
        s2 = self.create(c, prompt, mode="ask", cwd=dir_a)
        f2 = Follower(c, s2)
        idle2 = f2.wait_status("idle")
        self.assertTrue(os.path.exists(os.path.join(dir_a, "a.txt")), f2.kinds())
        auto = kinds_with(f2.events, "approval_resolved", tool="Bash")
        self.assertEqual(len(auto), 1, f2.events)
        self.assertIs(auto[0]["data"]["automatic"], True)
        self.assertEqual(auto[0]["data"]["by"], f"rule:{rule['id']}")
        self.assertEqual(kinds_with(f2.events, "approval_requested"), [])

        s3 = self.create(c, prompt, mode="ask", cwd=dir_b)
        f3 = Follower(c, s3)
        asked3 = f3.wait_kind("approval_requested")
        self.assertEqual(asked3["data"]["cwd"], os.path.realpath(dir_b))
        c.result("approval.respond", {"id": asked3["data"]["approval_id"], "decision": "deny"})
        f3.wait_status("idle")
        self.assertFalse(os.path.exists(os.path.join(dir_b, "a.txt")))

        self.assertEqual(c.result("rule.delete", {"id": rule["id"]})["deleted"], rule["id"])
        self.assertEqual(c.result("rule.list")["rules"], [])
        # Without the rule, the same call in directory A asks again.
        c.result("session.send", {"session": s2, "text": prompt})
        asked2 = wait_after(f2, idle2["seq"], "approval_requested")
        c.result("approval.respond", {"id": asked2["data"]["approval_id"], "decision": "deny"})
        wait_after(f2, asked2["seq"], "status", status="idle")
        self.assertEqual(len(kinds_with(session_events(c, s2), "approval_resolved", automatic=True)), 1)
        self.assert_fake_clean()


if __name__ == "__main__":
    unittest.main()
