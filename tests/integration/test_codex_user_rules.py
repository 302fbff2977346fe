"""The real Codex CLI with the user's own command rules (CODEX_HOME/rules/*.rules,
prefix_rule with decision "forbidden" or "allow"): in every mode a forbidden command does not
run (Codex tells the model its policy forbids it) and tether is not asked (even in `auto`, where tether itself would allow), an allowed one
runs without asking (even in `ask`), and a command with no rule still asks."""
import json
import os
import unittest

from session_harness import Follower, wait_after
from test_session_codex import WAIT, CodexTest

RULES = '''prefix_rule(pattern=["rm"], decision="forbidden")
prefix_rule(pattern=["touch"], decision="allow")
'''
MODES = ("ask", "edits", "auto")


def answered(event):
    """The call's result, or tether being asked about it (which the checks below then refuse)."""
    return event["kind"] in ("tool_result", "approval_requested")


class CodexUserRulesTest(CodexTest):
    def setUp(self):
        super().setUp()
        rules = os.path.join(self.env["CODEX_HOME"], "rules")
        os.makedirs(rules, exist_ok=True)
        with open(os.path.join(rules, "default.rules"), "w") as f:
            f.write(RULES)

    def path(self, name):
        return os.path.join(self.work, name)

    def test_user_rules_hold_in_every_mode(self):
        self.start()
        c = self.client()
        for mode in MODES:
            with self.subTest(mode=mode):
                victim = self.path("victim.txt")
                with open(victim, "w") as v:
                    v.write("keep me\n")
                sid = self.create(c, "[bash:rm -f victim.txt]", mode)
                f = Follower(c, sid)
                # Codex rejects the command before it starts: no item, the model is told why.
                end = f.wait_for(lambda e: e["kind"] == "approval_requested" or (e["kind"] == "status" and e["data"]["status"] == "idle"),
                                 WAIT, "the turn's end")
                self.assertEqual(end["kind"], "status", f"tether was asked in mode {mode} despite the user's rule")
                self.assertTrue(os.path.exists(victim), f"the user's forbidden rule did not hold in mode {mode}")
                self.assertEqual([e for e in f.events if e["kind"] == "approval_resolved"], [],
                                 "tether answered a call the user's rule decides")
                self.assertIn("policy forbids commands starting with `rm`", json.dumps(self.fake.requests[-1]["input"][-1]))

                last = f.events[-1]["seq"]
                c.result("session.send", {"session": sid, "text": f"[bash:touch allowed-{mode}.txt]"})
                result = f.wait_for(lambda e: e["seq"] > last and answered(e), WAIT, "the allowed call's result")
                self.assertEqual(result["kind"], "tool_result", f"the user's allow asked anyway in mode {mode}")
                wait_after(f, result["seq"], "status", WAIT, status="idle")
                self.assertTrue(os.path.exists(self.path(f"allowed-{mode}.txt")), f"the allowed command did not run in mode {mode}")
                c.result("session.stop", {"session": sid})
                f.wait_status("exited", 15)
        self.assert_fake_clean()

    def test_a_command_without_a_user_rule_still_asks(self):
        self.start()
        c = self.client()
        sid = self.create(c, "[bash:echo asked > out.txt]", "ask")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested", WAIT)
        self.assertIn("echo asked > out.txt", asked["data"]["input"]["command"])
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny"})
        f.wait_status("idle", WAIT)
        self.assertFalse(os.path.exists(self.path("out.txt")))


if __name__ == "__main__":
    unittest.main()
