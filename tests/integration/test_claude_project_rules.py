"""The real Claude Code CLI with the project's own permission rules (.claude/settings.json in
the session's directory): in a project the user trusts (Claude Code's own trust, in
~/.claude.json) a deny wins even in `auto` and an allow runs unasked even in `ask`; in a
project the user has not trusted, Claude Code honours its deny but not its allow, so tether
asks about the allowed command."""
import json
import os
import unittest

from session_harness import Follower
from test_claude_user_rules import ClaudeRulesTest, answered


class ClaudeProjectRulesTest(ClaudeRulesTest):
    def trust(self, directory):
        with open(os.path.join(self.env["HOME"], ".claude.json"), "w") as f:
            json.dump({"projects": {directory: {"hasTrustDialogAccepted": True}}}, f)

    def test_project_rules_hold_in_a_trusted_project(self):
        self.write_settings(self.work)
        self.trust(self.work)
        self.check_user_rules(("ask", "auto"))

    def test_an_untrusted_projects_deny_holds_and_its_allow_asks(self):
        self.write_settings(self.work)
        self.start_session_daemon()
        c = self.client()
        victim = self.path("victim.txt")
        with open(victim, "w") as v:
            v.write("keep me\n")
        sid = self.create(c, "[bash:rm -f victim.txt]", mode="auto")
        f = Follower(c, sid)
        result = f.wait_for(answered, what="the denied call's result")
        self.assertEqual(result["kind"], "tool_result", "tether was asked despite the project's deny")
        self.assertTrue(result["data"]["is_error"], result)
        f.wait_status("idle")
        self.assertTrue(os.path.exists(victim), "the project's deny did not hold in mode auto")

        sid = self.create(c, "[bash:touch allowed.txt]", mode="ask")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested")
        self.assertEqual(asked["data"]["input"]["command"], "touch allowed.txt")
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny"})
        f.wait_status("idle")
        self.assertFalse(os.path.exists(self.path("allowed.txt")))


if __name__ == "__main__":
    unittest.main()
