"""Codex sessions end to end: a tether daemon that runs the real `codex app-server` (the native
binary of the pinned @openai/codex) against the fake Responses API on 127.0.0.1
(tests/fakes/fake_openai_responses.py). The user's Codex config here is approval_policy
"on-request" with the read-only sandbox, so Codex asks about commands that want to leave the
sandbox ([bash:...] asks for that) and about file changes; tether's engine answers."""
import os
import unittest

# session_harness first: it puts tests/fakes on sys.path
from session_harness import Client, Follower, wait_after
from harness import TempHomeTest
from codex_env import codex_bin, codex_env  # noqa: E402
from fake_openai_responses import FakeResponses, input_items, message_texts, tool_outputs, user_texts  # noqa: E402

WAIT = 30  # seconds; a turn with the fake takes well under one


@unittest.skipUnless(os.path.exists(codex_bin()), f"the Codex CLI is not installed ({codex_bin()}); run scripts/bootstrap")
class CodexTest(TempHomeTest):
    """A temp home, a work directory, the fake Responses API and a Codex environment for it."""

    def setUp(self):
        super().setUp()
        self.work = os.path.join(self.tmp, "work")
        os.makedirs(self.work)
        self.fake = FakeResponses().start()
        self.addCleanup(self.fake.stop)
        self.env = dict(os.environ)
        self.env.update(codex_env(self.fake.url, os.path.join(self.tmp, "agent"),
                                  approval_policy="on-request", sandbox="read-only"))
        self.clients = []
        self.addCleanup(lambda: [c.close() for c in self.clients])

    def tearDown(self):
        # SIGTERM, not SIGKILL: the daemon then ends codex itself, so that no orphaned codex
        # writes into CODEX_HOME while the temp directory is being removed.
        for d in self.daemons:
            if d.proc.poll() is None:
                d.stop()
        super().tearDown()

    def start(self):
        return self.start_daemon("--codex-bin", codex_bin(), env=self.env)

    def client(self):
        c = Client(os.path.join(self.home, "tether.sock"))
        self.clients.append(c)
        return c

    def create(self, client, prompt, mode="ask"):
        return client.result("session.create", {"cwd": self.work, "prompt": prompt, "mode": mode, "provider": "codex"})["id"]

    def assert_fake_clean(self):
        self.assertEqual(self.fake.errors, [], "the fake model server had errors")


class CodexSessionTest(CodexTest):
    def test_an_allowed_command_runs_and_events_come_in_order(self):
        self.start()
        c = self.client()
        sid = self.create(c, "please [bash:echo hello > out.txt]")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested", WAIT)
        self.assertEqual(asked["data"]["tool"], "command_execution")
        self.assertEqual(asked["data"]["tier"], "elevated")
        self.assertIn("echo hello > out.txt", asked["data"]["input"]["command"])
        self.assertEqual(asked["data"]["input"]["reason"], "the test runs this outside the sandbox")
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")), "the command ran before the answer")
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "allow"})
        done = f.wait_for(lambda e: e["kind"] == "assistant_text" and e["data"]["text"].startswith("done. saw output"),
                          WAIT, "the answer after the command")
        wait_after(f, done["seq"], "status", WAIT, status="idle")
        with open(os.path.join(self.work, "out.txt")) as out:
            self.assertEqual(out.read(), "hello\n")
        kinds = f.kinds()
        order = [kinds.index(k) for k in ("tool_call", "approval_requested", "approval_resolved", "tool_result", "usage")]
        self.assertEqual(order, sorted(order), kinds)
        result = next(e for e in f.events if e["kind"] == "tool_result")
        self.assertFalse(result["data"]["is_error"])
        self.assertEqual(result["data"]["tool_use_id"], asked["data"]["tool_use_id"])
        self.assertTrue(any(e["kind"] == "assistant_delta" for e in f.events))
        self.assert_fake_clean()

    def test_a_denied_command_does_not_run_and_the_model_hears_of_it(self):
        self.start()
        c = self.client()
        sid = self.create(c, "please [bash:echo hello > out.txt]")
        f = Follower(c, sid)
        asked = f.wait_kind("approval_requested", WAIT)
        requests_before = len(self.fake.requests)
        c.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny", "message": "not here"})
        resolved = f.wait_kind("approval_resolved", WAIT)
        self.assertEqual(resolved["data"]["decision"], "deny")
        wait_after(f, resolved["seq"], "status", WAIT, status="idle")
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")))
        self.assertEqual(len(self.fake.requests), requests_before + 1)
        outputs = tool_outputs(self.fake.requests[-1])
        self.assertTrue(any("rejected by user" in o for o in outputs), outputs)
        result = next(e for e in f.events if e["kind"] == "tool_result")
        self.assertTrue(result["data"]["is_error"])
        self.assertTrue(any(e["kind"] == "assistant_text" and "rejected by user" in e["data"]["text"] for e in f.events))
        self.assert_fake_clean()

    def test_a_file_change_is_a_standard_tool_that_edits_mode_allows(self):
        self.start()
        c = self.client()
        sid = self.create(c, "[patch:patched.txt:patched line]", mode="edits")
        f = Follower(c, sid)
        resolved = f.wait_kind("approval_resolved", WAIT)
        self.assertEqual(resolved["data"]["tool"], "file_change")
        self.assertEqual(resolved["data"]["tier"], "standard")
        self.assertEqual(resolved["data"]["by"], "mode:edits")
        self.assertEqual(resolved["data"]["decision"], "allow")
        wait_after(f, resolved["seq"], "status", WAIT, status="idle")
        with open(os.path.join(self.work, "patched.txt")) as out:
            self.assertEqual(out.read(), "patched line\n")
        call = next(e for e in f.events if e["kind"] == "tool_call" and e["data"]["tool"] == "file_change")
        self.assertTrue(call["data"]["input"]["changes"][0]["path"].endswith("patched.txt"))
        self.assertEqual([e for e in f.events if e["kind"] == "approval_requested"], [])
        self.assert_fake_clean()

    def test_interrupt_ends_a_slow_turn_and_the_session_takes_the_next_prompt(self):
        self.start()
        c = self.client()
        sid = self.create(c, "[slow]")
        f = Follower(c, sid)
        for n in range(1, 4):
            f.wait_for(lambda e: sum(x["kind"] == "assistant_delta" for x in f.events) >= n, WAIT, f"{n} deltas")
        c.result("session.interrupt", {"session": sid})
        idle = f.wait_status("idle", WAIT)
        self.assertTrue(any(e["kind"] == "notice" and "interrupted" in e["data"]["text"] for e in f.events), f.kinds())
        self.assertLess(sum(e["kind"] == "assistant_delta" for e in f.events), 40, "the slow answer ran to its end")
        self.assertEqual([e for e in f.events if e["kind"] == "status" and e["data"]["status"] in ("exited", "error")], [])

        c.result("session.send", {"session": sid, "text": "[text:after]"})
        wait_after(f, idle["seq"], "assistant_text", WAIT, text="after")
        wait_after(f, idle["seq"], "status", WAIT, status="idle")
        # Codex tells the model the previous turn was cut short.
        texts = [t for i in input_items(self.fake.requests[-1]) if i.get("type") == "message" for t in message_texts(i)]
        self.assertTrue(any("<turn_aborted>" in t for t in texts), texts)
        again = c.call("session.interrupt", {"session": sid})
        self.assertEqual(again["error"]["data"]["code"], "idle", again)
        self.assert_fake_clean()

    def test_a_model_error_fails_the_turn_and_the_agent_lives_on(self):
        self.start()
        c = self.client()
        sid = self.create(c, "[http:400]")
        f = Follower(c, sid)
        error = f.wait_kind("error", WAIT)
        self.assertIn("fake error 400", error["data"]["message"])  # codex passes a 4xx body on
        idle = wait_after(f, error["seq"], "status", WAIT, status="idle")
        self.assertTrue(idle["data"].get("turn_error"), idle)
        self.assertEqual(len(self.fake.requests), 1, "codex retried although its config says not to")
        c.result("session.send", {"session": sid, "text": "[text:fine now]"})
        wait_after(f, idle["seq"], "assistant_text", WAIT, text="fine now")
        self.assert_fake_clean()

    def test_after_a_daemon_restart_the_session_continues_the_same_thread(self):
        d = self.start()
        c = self.client()
        sid = self.create(c, "[text:first answer]")
        f = Follower(c, sid)
        f.wait_kind("assistant_text", WAIT, text="first answer")
        f.wait_status("idle", WAIT)
        thread = self.fake.requests[-1]["prompt_cache_key"]
        self.assertTrue(thread)
        c.close()
        d.stop()
        d.assert_clean_exit(self)

        self.start()
        c = self.client()
        f = Follower(c, sid)
        last = f.wait_status("exited", WAIT)
        c.result("session.send", {"session": sid, "text": "[text:second answer]"})
        wait_after(f, last["seq"], "assistant_text", WAIT, text="second answer")
        wait_after(f, last["seq"], "status", WAIT, status="idle")
        request = self.fake.requests[-1]
        self.assertEqual(request["prompt_cache_key"], thread, "a new thread was started")
        self.assertEqual(user_texts(request), ["[text:first answer]", "[text:second answer]"])
        assistant = [t for i in input_items(request) if i.get("role") == "assistant" for t in message_texts(i)]
        self.assertIn("first answer", assistant)
        self.assert_fake_clean()


if __name__ == "__main__":
    unittest.main()
