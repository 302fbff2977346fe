"""The real Claude Code CLI with the user's own permission rules in ~/.claude/settings.json:
in every mode a user deny wins (even in `auto`, where tether itself would allow) and a user
allow runs without asking (even in `ask`); a command the user has no rule for still asks.
Project-level rules: test_claude_project_rules.py."""
import json
import os
import unittest

from session_harness import Follower, SessionTest, wait_after

USER_RULES = {"permissions": {"allow": ["Bash(touch:*)"], "deny": ["Bash(rm:*)"]}}
MODES = ("ask", "edits", "auto")


def answered(event):
    """The call's result, or tether being asked about it (which the checks below then refuse)."""
    return event["kind"] in ("tool_result", "approval_requested")


class ClaudeRulesTest(SessionTest):
    """Settings with USER_RULES, and the checks of each mode against them."""

    def path(self, name):
        return os.path.join(self.work, name)

    def write_settings(self, directory):
        os.makedirs(os.path.join(directory, ".claude"), exist_ok=True)
        with open(os.path.join(directory, ".claude", "settings.json"), "w") as f:
            json.dump(USER_RULES, f)

    def check_user_rules(self, modes=MODES):
        self.start_session_daemon()
        c = self.client()
        for mode in modes:
            with self.subTest(mode=mode):
                victim = self.path("victim.txt")
                with open(victim, "w") as v:
                    v.write("keep me\n")
                sid = self.create(c, "[bash:rm -f victim.txt]", mode=mode)
                f = Follower(c, sid)
                result = f.wait_for(answered, what="the denied call's result")
                self.assertEqual(result["kind"], "tool_result", f"tether was asked in mode {mode} despite the user's deny")
                f.wait_status("idle")
                self.assertTrue(os.path.exists(victim), f"the user's deny did not hold in mode {mode}")
                self.assertTrue(result["data"]["is_error"], result)
                self.assertNotIn("approval_requested", f.kinds())
                self.assertEqual([e for e in f.events if e["kind"] == "approval_resolved"], [],
                                 "tether answered a call the user's rule decides")

                made = self.path(f"allowed-{mode}.txt")
                last = f.events[-1]["seq"]
                c.result("session.send", {"session": sid, "text": f"[bash:touch allowed-{mode}.txt]"})
                result = f.wait_for(lambda e: e["seq"] > last and answered(e), what="the allowed call's result")
                self.assertEqual(result["kind"], "tool_result", f"the user's allow asked anyway in mode {mode}")
                wait_after(f, result["seq"], "status", status="idle")
                self.assertFalse(result["data"]["is_error"], result)
                self.assertNotIn("approval_requested", f.kinds(), f"the user's allow asked anyway in mode {mode}")
                self.assertTrue(os.path.exists(made), f"the allowed command did not run in mode {mode}")
                c.result("session.stop", {"session": sid})
                f.wait_status("exited", 15)
        self.assert_fake_clean()


class ClaudeUserRulesTest(ClaudeRulesTest):
    def test_user_level_rules_hold_in_every_mode(self):
        self.write_settings(self.env["HOME"])
        self.check_user_rules()

    def test_a_command_without_a_user_rule_still_asks(self):
        self.write_settings(self.env["HOME"])
        self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "[bash:echo asked > out.txt]", mode="ask")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested")
        self.assertEqual(asked["data"]["input"]["command"], "echo asked > out.txt")
        self.assertFalse(os.path.exists(self.path("out.txt")))
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny"})
        f.wait_status("idle")
        self.assertFalse(os.path.exists(self.path("out.txt")))


if __name__ == "__main__":
    unittest.main()
