"""Sessions with the real OpenCode CLI (`opencode serve`, started by the daemon) against the
fake chat-completions API (tests/fakes/fake_openai_chat.py) on 127.0.0.1, offline: a bash
call allowed and denied through tether's approvals in mode ask, run unasked in mode auto,
and an interrupted answer after which the session takes the next prompt."""
import os
import signal
import time
import unittest

from harness import TempHomeTest
from session_harness import Client, Follower, wait_after  # session_harness puts tests/fakes on sys.path
from fake_openai_chat import FakeOpenAIChat, message_text, tool_results  # noqa: E402
from opencode_env import opencode_bin, opencode_env  # noqa: E402

TURN_TIMEOUT = 40  # seconds; serve starts in ~2 s, the first prompt of a directory takes ~3 s more


def processes_in(directory):
    """PIDs of processes whose working directory is `directory` or inside it."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if cwd == directory or cwd.startswith(directory + os.sep):
            found.append(int(pid))
    return found


class OpenCodeDaemonTest(TempHomeTest):
    """A temp work dir, the fake model, OpenCode's offline environment (`self.env`, to
    change before `start`), and a daemon that runs the real CLI; at the end no process of
    the session may outlive the daemon's stop."""

    def setUp(self):
        super().setUp()
        self.work = os.path.join(self.tmp, "work")
        os.makedirs(self.work)
        self.fake = FakeOpenAIChat().start()
        self.addCleanup(self.fake.stop)
        self.env = dict(os.environ)
        self.env.update(opencode_env(self.fake.url, os.path.join(self.tmp, "agent")))
        self.client = None

    def start(self):
        self.daemon = self.start_daemon("--opencode-bin", opencode_bin(), env=self.env)
        self.client = Client(os.path.join(self.home, "tether.sock"))

    def tearDown(self):
        if not self.client:
            return super().tearDown()
        self.client.close()
        # A clean stop ends every `opencode serve` (it does not read stdin, so a killed
        # daemon would leave it running).
        code = self.daemon.stop(signal.SIGTERM, timeout=15)
        deadline = time.monotonic() + 5
        while processes_in(self.work) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = processes_in(self.work)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        super().tearDown()
        self.assertEqual(code, 0, self.daemon.stderr)
        self.assertEqual(left, [], "processes of the session outlived the daemon")

    def create(self, prompt, mode="ask"):
        params = {"provider": "opencode", "cwd": self.work, "prompt": prompt, "mode": mode}
        return self.client.result("session.create", params)["id"]


class OpenCodeSessionTest(OpenCodeDaemonTest):
    def setUp(self):
        super().setUp()
        self.start()

    def out_file(self):
        return os.path.join(self.work, "out.txt")

    def test_allowed_bash_runs_after_the_approval(self):
        sid = self.create("please [bash:echo hi > out.txt]")
        f = Follower(self.client, sid)
        asked = f.wait_kind("approval_requested", TURN_TIMEOUT)
        self.assertEqual(asked["data"]["tool"], "bash")
        self.assertEqual(asked["data"]["tier"], "elevated")
        self.assertEqual(asked["data"]["input"]["command"], "echo hi > out.txt")
        self.assertFalse(os.path.exists(self.out_file()), "the tool ran before the answer")
        self.client.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "allow"})
        f.wait_for(lambda e: e["kind"] == "assistant_text" and e["data"]["text"].startswith("tool said:"),
                   TURN_TIMEOUT, "the model's answer to the tool result")
        f.wait_status("idle", TURN_TIMEOUT)
        with open(self.out_file()) as out:
            self.assertEqual(out.read(), "hi\n")
        kinds = f.kinds()
        order = [kinds.index(k) for k in ("tool_call", "approval_requested", "approval_resolved", "tool_result", "usage")]
        self.assertEqual(order, sorted(order), kinds)
        call = next(e for e in f.events if e["kind"] == "tool_call")
        self.assertEqual(call["data"]["tool_use_id"], asked["data"]["tool_use_id"])
        self.assertEqual(self.client.result("session.get", {"session": sid})["provider"], "opencode")
        self.assertEqual(self.fake.errors, [])

    def test_denied_bash_does_not_run_and_the_model_hears_why(self):
        sid = self.create("please [bash:echo hi > out.txt]")
        f = Follower(self.client, sid)
        asked = f.wait_kind("approval_requested", TURN_TIMEOUT)
        self.client.result("approval.respond", {"id": asked["data"]["approval_id"], "decision": "deny",
                                                "message": "not in this repo, thanks"})
        answer = f.wait_for(lambda e: e["kind"] == "assistant_text" and "not in this repo, thanks" in e["data"]["text"],
                            TURN_TIMEOUT, "the model's answer to the denial")
        f.wait_status("idle", TURN_TIMEOUT)
        self.assertTrue(answer["data"]["text"].startswith("tool said:"), answer)
        self.assertFalse(os.path.exists(self.out_file()))
        result = f.wait_kind("tool_result", 1)
        self.assertTrue(result["data"]["is_error"], result)
        denials = [message_text(m) for r in self.fake.requests for m in tool_results(r)]
        self.assertTrue(any("not in this repo, thanks" in d for d in denials), denials)

    def test_mode_auto_runs_bash_without_asking(self):
        sid = self.create("please [bash:echo auto > out.txt]", mode="auto")
        f = Follower(self.client, sid)
        resolved = f.wait_kind("approval_resolved", TURN_TIMEOUT)
        self.assertEqual(resolved["data"]["by"], "mode:auto")
        self.assertEqual(resolved["data"]["decision"], "allow")
        self.assertEqual(resolved["data"]["tool"], "bash")
        f.wait_status("idle", TURN_TIMEOUT)
        self.assertNotIn("approval_requested", f.kinds())
        with open(self.out_file()) as out:
            self.assertEqual(out.read(), "auto\n")

    def test_interrupt_ends_a_slow_answer_and_the_next_prompt_works(self):
        sid = self.create("[slow]")
        f = Follower(self.client, sid)
        for n in range(1, 4):
            f.wait_for(lambda e: sum(x["kind"] == "assistant_delta" for x in f.events) >= n, TURN_TIMEOUT, f"{n} deltas")
        self.client.result("session.interrupt", {"session": sid})
        idle = f.wait_status("idle", 15)
        self.assertTrue(any(e["kind"] == "notice" and "interrupted" in e["data"]["text"] for e in f.events), f.kinds())
        deltas = [e for e in f.events if e["kind"] == "assistant_delta"]
        self.assertLess(len(deltas), 40, "the slow answer ran to its end")
        self.assertEqual([e for e in f.events if e["kind"] == "status" and e["data"]["status"] in ("exited", "error")], [])
        deadline = time.monotonic() + 5
        while self.fake.disconnects == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.fake.disconnects, 1, "OpenCode did not stop the model's stream")

        self.client.result("session.send", {"session": sid, "text": "[text:after]"})
        wait_after(f, idle["seq"], "assistant_text", TURN_TIMEOUT, text="after")
        wait_after(f, idle["seq"], "status", TURN_TIMEOUT, status="idle")
        again = self.client.call("session.interrupt", {"session": sid})
        self.assertEqual(again["error"]["data"]["code"], "idle", again)
        # The partial answer was part of the conversation the model saw next.
        history = [message_text(m) for m in self.fake.requests[-1]["messages"] if m.get("role") == "assistant"]
        self.assertTrue(any(h.startswith("slow slow slow") for h in history), history)

        # An interrupt while a question is open withdraws it, and the tool never runs.
        last = f.events[-1]["seq"]
        self.client.result("session.send", {"session": sid, "text": "[bash:echo late > out.txt]"})
        asked = wait_after(f, last, "approval_requested", TURN_TIMEOUT)
        self.client.result("session.interrupt", {"session": sid})
        withdrawn = wait_after(f, last, "approval_resolved", 15, approval_id=asked["data"]["approval_id"])
        self.assertEqual((withdrawn["data"]["decision"], withdrawn["data"]["by"]), ("deny", "agent"))
        wait_after(f, withdrawn["seq"], "status", 15, status="idle")
        result = wait_after(f, last, "tool_result", 5)
        self.assertTrue(result["data"]["is_error"], result)
        self.assertEqual(self.client.result("approval.list")["approvals"], [])
        late = self.client.call("approval.respond", {"id": asked["data"]["approval_id"], "decision": "allow"})
        self.assertIn("error", late)
        time.sleep(0.5)
        self.assertFalse(os.path.exists(self.out_file()), "the withdrawn tool call ran")

    def test_a_stopped_session_resumes_the_same_opencode_session(self):
        sid = self.create("[text:first answer]")
        f = Follower(self.client, sid)
        f.wait_kind("assistant_text", TURN_TIMEOUT, text="first answer")
        f.wait_status("idle", TURN_TIMEOUT)
        self.client.result("session.stop", {"session": sid})
        exited = f.wait_status("exited", 15)
        self.assertEqual(processes_in(self.work), [], "serve outlived session.stop")
        self.client.result("session.send", {"session": sid, "text": "[text:second answer]"})
        wait_after(f, exited["seq"], "assistant_text", TURN_TIMEOUT, text="second answer")
        # The new server continued the conversation: the model saw the first exchange.
        history = [(m.get("role"), message_text(m)) for m in self.fake.requests[-1]["messages"]]
        self.assertIn(("assistant", "first answer"), history)
        self.assertIn(("user", "[text:first answer]"), history)
        self.assertNotIn("notice", [e["kind"] for e in f.events if e["seq"] > exited["seq"]])


class BrokenOpenCodeTest(TempHomeTest):
    def test_a_server_that_dies_at_start_is_a_session_error_saying_why(self):
        fake_cli = os.path.join(self.tmp, "opencode")
        with open(fake_cli, "w") as f:
            f.write("#!/bin/sh\necho 'Error: Unexpected error' >&2\nexit 1\n")
        os.chmod(fake_cli, 0o755)
        daemon = self.start_daemon("--opencode-bin", fake_cli)
        client = Client(os.path.join(self.home, "tether.sock"))
        self.addCleanup(client.close)
        work = os.path.join(self.tmp, "work")
        os.makedirs(work)
        sid = client.result("session.create", {"provider": "opencode", "cwd": work, "prompt": "hi"})["id"]
        f = Follower(client, sid)
        f.wait_status("error", 15)
        errors = [e["data"]["message"] for e in f.events if e["kind"] == "error"]
        self.assertTrue(any("status 1" in m and "Unexpected error" in m for m in errors), errors)
        self.assertEqual(daemon.stop(), 0)

    def test_a_missing_cli_is_a_clear_error(self):
        self.start_daemon("--opencode-bin", os.path.join(self.tmp, "no-such-opencode"))
        client = Client(os.path.join(self.home, "tether.sock"))
        self.addCleanup(client.close)
        work = os.path.join(self.tmp, "work")
        os.makedirs(work)
        reply = client.call("session.create", {"provider": "opencode", "cwd": work, "prompt": "hi"})
        self.assertEqual(reply["error"]["data"]["code"], "provider_missing", reply)
        self.assertIn("--opencode-bin", reply["error"]["message"])
        self.assertEqual(self.daemons[0].stop(), 0)


if __name__ == "__main__":
    unittest.main()
