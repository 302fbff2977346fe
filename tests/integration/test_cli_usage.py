"""The tether command line as a new user meets it: typos, where global options go, --json failures."""
import json
import os
import time

from harness import LineSocket, TempHomeTest, run_cli


class UnknownCommand(TempHomeTest):
    def test_a_typo_names_the_word_and_the_nearest_command(self):
        r = run_cli("stauts")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn('tether: unknown command "stauts" (did you mean "status"?)', r.stderr)
        self.assertNotIn("subcommand is required", r.stderr)

    def test_a_word_near_no_command_is_named_without_a_guess(self):
        r = run_cli("frobnicate")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn('tether: unknown command "frobnicate"', r.stderr)
        self.assertNotIn("did you mean", r.stderr)

    def test_no_command_at_all_is_still_a_usage_error(self):
        r = run_cli()
        self.assertEqual(r.returncode, 2, r.stderr)


class GlobalOptions(TempHomeTest):
    def test_home_goes_before_the_command_or_after_it(self):
        self.start_daemon()
        for args in (("--home", self.home, "status", "--json"), ("status", "--json", "--home", self.home)):
            r = run_cli(*args)
            self.assertEqual(r.returncode, 0, f"{args}: {r.stderr}")
            self.assertEqual(json.loads(r.stdout)["home"], self.home)

    def test_the_home_after_the_command_wins(self):
        self.start_daemon()
        r = run_cli("--home", os.path.join(self.tmp, "elsewhere"), "status", "--json", home=self.home)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["home"], self.home)

    def test_a_typo_after_a_global_option_is_still_named(self):
        r = run_cli("--home", self.home, "stauts")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn('unknown command "stauts"', r.stderr)

    def test_host_goes_after_the_command_too(self):
        r = run_cli("status", "--host", "nosuch", home=self.home)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("nosuch", r.stderr)
        self.assertNotIn("not expected", r.stderr)


class JsonFailures(TempHomeTest):
    def test_without_a_daemon_every_json_command_prints_a_json_error(self):
        for args in (("status",), ("ls",), ("devices",), ("audit",), ("approvals",), ("rules",), ("logs", "nosuch")):
            r = run_cli(*args, "--json", home=self.home)
            self.assertEqual(r.returncode, 1, f"{args}: {r.stderr}")
            err = json.loads(r.stdout)["error"]
            self.assertEqual(err["code"], "daemon_not_running", args)
            self.assertIn("tether daemon", err["message"])
            self.assertIn("daemon not running", r.stderr)  # people still read stderr

    def test_an_error_of_the_daemon_is_json_too(self):
        self.start_daemon()
        r = run_cli("devices", "revoke", "nosuch", "--json", home=self.home)
        self.assertEqual(r.returncode, 1, r.stderr)
        err = json.loads(r.stdout)["error"]
        self.assertTrue(err["code"])
        self.assertTrue(err["message"])


class AuditPages(TempHomeTest):
    def test_the_newest_entries_come_first_and_older_ones_page_with_before(self):
        d = self.start_daemon()
        sock = LineSocket(d.socket_path)
        for i in range(5):
            self.assertIn("result", sock.call("pair.create", {"name": f"d{i}", "mode": "full", "ttl_seconds": 60}, id=i + 1))
        sock.close()
        everything = json.loads(run_cli("audit", "--json", home=self.home).stdout)
        ids = [e["id"] for e in everything["entries"]]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertFalse(everything["more"])
        first = json.loads(run_cli("audit", "--json", "--limit", "2", home=self.home).stdout)
        self.assertEqual([e["id"] for e in first["entries"]], ids[:2])
        self.assertTrue(first["more"])
        second = run_cli("audit", "--json", "--limit", "2", "--before", str(ids[1]), home=self.home)
        self.assertEqual([e["id"] for e in json.loads(second.stdout)["entries"]], ids[2:4])
        human = run_cli("audit", "--limit", "2", home=self.home)
        self.assertEqual(human.returncode, 0, human.stderr)
        self.assertIn(f"older entries: tether audit --before {ids[1]}", human.stderr)


class DaemonHint(TempHomeTest):
    def next_line(self, env=None):
        d = self.start_daemon(env=env)
        d.stop()
        return next(line for line in d.stdout.splitlines() if "next:" in line)

    def test_the_hint_names_a_home_that_is_not_the_default(self):
        line = self.next_line()
        self.assertIn(f" --home {self.home} status`", line)
        self.assertIn(f" --home {self.home} pair`", line)

    def test_the_hint_leaves_out_the_default_home(self):
        line = self.next_line(env={**os.environ, "TETHER_HOME": self.home})
        self.assertNotIn("--home", line)
        self.assertRegex(line, r"`\S*tether status`")


class AgentNotRunning(TempHomeTest):
    def test_a_session_whose_agent_ended_is_not_reported_as_a_daemon_down(self):
        self.start_daemon("--no-direct")
        r = run_cli("--home", self.home, "run", "--provider", "terminal", "--detach", "--json", "--", "true")
        self.assertEqual(r.returncode, 0, r.stderr)
        sid = json.loads(r.stdout)["id"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            sessions = json.loads(run_cli("ls", "--json", home=self.home).stdout)["sessions"]
            if next(s for s in sessions if s["id"] == sid)["status"] != "running":
                break
            time.sleep(0.1)
        r = run_cli("interrupt", sid, home=self.home)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("tether interrupt: the agent is not running", r.stderr)
        self.assertNotIn("daemon not running", r.stderr)
        r = run_cli("interrupt", sid, "--json", home=self.home)
        self.assertEqual(json.loads(r.stdout)["error"]["code"], "not_running")
