"""The real OpenCode CLI with the user's own settings: the user's permission rules
(user-level and project-level opencode.json) combined with tether's in every mode (a deny
wins, an allow runs unasked), no credential of serve in the tools' environment, and an
answer to a permission question that tether did not give stopping the session."""
import base64
import json
import os
import time
import unittest
import urllib.request

from session_harness import Follower
from test_session_opencode import TURN_TIMEOUT, OpenCodeDaemonTest, processes_in

USER_RULES = {"permission": {"bash": {"*": "allow", "rm *": "deny"}}}
MODES = ("ask", "edits", "auto")


def listening_port(pid):
    """The TCP port process `pid` listens on (from /proc: its socket inodes in net/tcp)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    with open(f"/proc/{pid}/net/tcp") as f:
        for line in f.readlines()[1:]:
            cols = line.split()
            if cols[3] == "0A" and cols[9] in inodes:
                return int(cols[1].split(":")[1], 16)
    return None


class OpenCodeUserRulesTest(OpenCodeDaemonTest):
    def path(self, name):
        return os.path.join(self.work, name)

    def check_user_rules(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                victim = self.path("victim.txt")
                with open(victim, "w") as f:
                    f.write("keep me\n")
                sid = self.create("[bash:rm -f victim.txt]", mode)
                f = Follower(self.client, sid)
                result = f.wait_kind("tool_result", TURN_TIMEOUT)
                f.wait_status("idle", TURN_TIMEOUT)
                self.assertTrue(os.path.exists(victim), f"the user's deny did not hold in mode {mode}")
                self.assertTrue(result["data"]["is_error"], result)
                self.assertNotIn("approval_requested", f.kinds())
                self.assertEqual([e for e in f.events if e["kind"] == "approval_resolved"], [])

                out = self.path(f"allowed-{mode}.txt")
                last = f.events[-1]["seq"]
                self.client.result("session.send", {"session": sid, "text": f"[bash:echo {mode} > allowed-{mode}.txt]"})
                f.wait_for(lambda e: e["seq"] > last and e["kind"] == "tool_result", TURN_TIMEOUT, "the allowed call's result")
                f.wait_for(lambda e: e["seq"] > last and e["kind"] == "status" and e["data"]["status"] == "idle",
                           TURN_TIMEOUT, "idle")
                self.assertNotIn("approval_requested", f.kinds(), "the user's allow asked anyway")
                with open(out) as o:
                    self.assertEqual(o.read(), f"{mode}\n")
                self.client.result("session.stop", {"session": sid})
                f.wait_status("exited", 15)

    def test_user_level_rules_hold_in_every_mode(self):
        config_dir = os.path.join(self.env["XDG_CONFIG_HOME"], "opencode")
        with open(os.path.join(config_dir, "opencode.json"), "w") as f:
            json.dump(USER_RULES, f)
        self.start()
        self.check_user_rules()

    def test_project_level_rules_hold_in_every_mode(self):
        with open(self.path("opencode.json"), "w") as f:
            json.dump(USER_RULES, f)
        self.start()
        self.check_user_rules()

    def test_a_rule_the_user_does_not_have_still_asks(self):
        with open(self.path("opencode.json"), "w") as f:
            json.dump({"permission": {"bash": {"ls *": "allow"}}}, f)
        self.start()
        sid = self.create("[bash:echo asked > out.txt]", "ask")
        f = Follower(self.client, sid)
        asked = f.wait_kind("approval_requested", TURN_TIMEOUT)
        self.assertEqual(asked["data"]["input"]["command"], "echo asked > out.txt")
        self.assertFalse(os.path.exists(self.path("out.txt")))
        self.client.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny"})
        f.wait_status("idle", TURN_TIMEOUT)
        self.assertFalse(os.path.exists(self.path("out.txt")))

    def test_tools_do_not_see_the_servers_credentials(self):
        self.start()
        sid = self.create("[bash:env > env.txt]", "auto")
        f = Follower(self.client, sid)
        f.wait_kind("tool_result", TURN_TIMEOUT)
        f.wait_status("idle", TURN_TIMEOUT)
        with open(self.path("env.txt")) as e:
            names = {line.split("=", 1)[0] for line in e.read().splitlines() if "=" in line}
        self.assertIn("PATH", names)
        for secret in ("OPENCODE_SERVER_PASSWORD", "OPENCODE_SERVER_USERNAME", "OPENCODE_PID"):
            self.assertNotIn(secret, names)

    def test_an_answer_tether_did_not_give_stops_the_session(self):
        self.start()
        sid = self.create("[bash:echo foreign > out.txt]", "ask")
        f = Follower(self.client, sid)
        asked = f.wait_kind("approval_requested", TURN_TIMEOUT)
        (serve,) = [p for p in processes_in(self.work) if "serve" in open(f"/proc/{p}/cmdline").read()]
        with open(f"/proc/{serve}/environ", "rb") as e:
            env = dict(v.split(b"=", 1) for v in e.read().split(b"\0") if b"=" in v)
        password = env[b"OPENCODE_SERVER_PASSWORD"].decode()
        port = listening_port(serve)
        headers = {"Authorization": "Basic " + base64.b64encode(f"opencode:{password}".encode()).decode(),
                   "x-opencode-directory": self.work, "Content-Type": "application/json"}

        def call(method, path, body=None):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers,
                                             data=None if body is None else json.dumps(body).encode())
            with urllib.request.urlopen(request, timeout=10) as r:
                return json.loads(r.read() or b"null")

        (question,) = call("GET", "/permission")
        self.assertTrue(call("POST", f"/permission/{question['id']}/reply", {"reply": "always"}))

        status = f.wait_for(lambda e: e["kind"] == "status" and e["data"]["status"] in ("error", "exited"), 15,
                            "the session stopped")
        self.assertEqual(status["data"]["status"], "error")
        alerts = [e for e in f.events if e["kind"] == "error" and e["data"].get("security") == "foreign_answer"]
        self.assertEqual(len(alerts), 1, f.kinds())
        self.assertIn("not tether", alerts[0]["data"]["message"])
        resolved = f.wait_kind("approval_resolved", 5, approval_id=asked["data"]["approval_id"])
        self.assertEqual(resolved["data"]["decision"], "deny")
        rows = [a for a in self.client.result("audit.list")["entries"] if a["action"] == "foreign_answer"]
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["target"], sid)
        self.assertEqual(rows[0]["detail"]["reply"], "always")
        deadline = time.monotonic() + 5
        while processes_in(self.work) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(processes_in(self.work), [], "serve still runs after the foreign answer")


if __name__ == "__main__":
    unittest.main()
