"""The real Claude Code CLI (agents/node_modules, pinned) against tests/fakes/fake_anthropic.py:
the fake's SSE is accepted, and can_use_tool answered on stdin allows or denies the tool.
This checks the fake and the CLI facts tether relies on; tether itself is not involved."""
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from claude_env import claude_bin, claude_env  # noqa: E402
from fake_anthropic import FakeAnthropic  # noqa: E402

COMMAND_LINE = ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose",
                "--permission-prompt-tool", "stdio", "--include-partial-messages"]
TIMEOUT = 60  # seconds for one turn; a run takes about 1-2 s


class Claude:
    """One `claude -p` process in stream-json mode; stdout lines are read by a thread."""

    def __init__(self, cwd, env):
        self.proc = subprocess.Popen([claude_bin(), *COMMAND_LINE], cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = queue.Queue()
        self.seen = []
        self.stderr = b""
        self.pumps = [threading.Thread(target=self._pump_stdout, daemon=True),
                      threading.Thread(target=self._pump_stderr, daemon=True)]
        for pump in self.pumps:
            pump.start()

    def _pump_stdout(self):
        for raw in self.proc.stdout:
            self.lines.put(raw)
        self.lines.put(None)

    def _pump_stderr(self):
        self.stderr = self.proc.stderr.read()

    def send(self, obj):
        self.proc.stdin.write(json.dumps(obj).encode() + b"\n")
        self.proc.stdin.flush()

    def read_until(self, match, timeout=TIMEOUT):
        """The first stdout object for which match(obj) is true; fails on timeout or EOF."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out; lines so far: {self.seen[-10:]}")
            try:
                raw = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if raw is None:
                raise AssertionError(f"claude closed stdout; stderr: {self.stderr[-2000:]!r}; lines: {self.seen[-10:]}")
            obj = json.loads(raw)  # every stdout line is one JSON object
            self.seen.append(obj)
            if match(obj):
                return obj

    def finish(self, timeout=30):
        self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pump in self.pumps:
            pump.join(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            pipe.close()


def is_permission_request(obj):
    return obj.get("type") == "control_request" and obj.get("request", {}).get("subtype") == "can_use_tool"


def is_result(obj):
    return obj.get("type") == "result"


def user_message(text):
    return {"type": "user", "message": {"role": "user", "content": text}, "parent_tool_use_id": None, "session_id": ""}


def answer(request_id, response):
    return {"type": "control_response", "response": {"subtype": "success", "request_id": request_id, "response": response}}


def tool_results(request):
    return [block for m in request["messages"] if m.get("role") == "user" and isinstance(m.get("content"), list)
            for block in m["content"] if isinstance(block, dict) and block.get("type") == "tool_result"]


class ClaudeAgainstFake(unittest.TestCase):
    def setUp(self):
        if not os.access(claude_bin(), os.X_OK):
            self.fail(f"no Claude Code CLI at {claude_bin()}: run scripts/bootstrap or set CLAUDE_BIN")
        self.tmp = tempfile.mkdtemp(prefix="tether-claude-")
        self.work = os.path.join(self.tmp, "work")
        os.makedirs(self.work)
        self.fake = FakeAnthropic().start()
        self.claude = Claude(self.work, claude_env(self.fake.url, self.tmp))

    def tearDown(self):
        self.claude.kill()
        self.fake.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.assertEqual(self.fake.errors, [])

    def ask_for_bash(self):
        self.claude.send(user_message("please [bash:echo hi > out.txt]"))
        init = self.claude.read_until(lambda o: o.get("type") == "system" and o.get("subtype") == "init")
        self.assertTrue(init["session_id"])
        request = self.claude.read_until(is_permission_request)
        self.assertEqual(request["request"]["tool_name"], "Bash")
        self.assertEqual(request["request"]["input"]["command"], "echo hi > out.txt")
        return request

    def test_allow_runs_the_tool(self):
        request = self.ask_for_bash()
        self.claude.send(answer(request["request_id"],
                                {"behavior": "allow", "updatedInput": request["request"]["input"]}))
        result = self.claude.read_until(is_result)
        self.assertFalse(result["is_error"], result)
        self.assertEqual(result["result"], "done")
        with open(os.path.join(self.work, "out.txt")) as f:
            self.assertEqual(f.read(), "hi\n")
        self.assertEqual(self.claude.finish(), 0, self.claude.stderr)
        # Two model calls: the prompt, then the tool's result.
        requests = self.fake.requests
        self.assertEqual(len(requests), 2)
        self.assertEqual([r["is_error"] for r in tool_results(requests[1])], [False])
        # The partial stream came through as stream_event lines before the result.
        deltas = [o for o in self.claude.seen if o.get("type") == "stream_event"
                  and o["event"].get("delta", {}).get("type") == "text_delta"]
        self.assertIn("I'll use Bash.", "".join(d["event"]["delta"]["text"] for d in deltas))

    def test_deny_reaches_the_model_and_nothing_runs(self):
        request = self.ask_for_bash()
        message = "Denied by remote approver: not allowed in test"
        self.claude.send(answer(request["request_id"], {"behavior": "deny", "message": message}))
        result = self.claude.read_until(is_result)
        self.assertEqual(result["result"], "saw denial: " + message)
        self.assertFalse(os.path.exists(os.path.join(self.work, "out.txt")))
        self.assertEqual(self.claude.finish(), 0, self.claude.stderr)
        denials = tool_results(self.fake.requests[-1])
        self.assertEqual(len(denials), 1)
        self.assertTrue(denials[0]["is_error"])
        self.assertIn(message, json.dumps(denials[0]["content"]))

    def test_interrupt_ends_a_slow_stream(self):
        self.claude.send(user_message("[slow]"))
        self.claude.read_until(lambda o: o.get("type") == "stream_event"
                               and o["event"].get("delta", {}).get("text") == "slow ")
        self.claude.send({"type": "control_request", "request_id": "int-1", "request": {"subtype": "interrupt"}})
        ack = self.claude.read_until(lambda o: o.get("type") == "control_response")
        self.assertEqual((ack["response"]["subtype"], ack["response"]["request_id"]), ("success", "int-1"))
        result = self.claude.read_until(is_result)
        self.assertTrue(result["is_error"])
        self.assertEqual(result["terminal_reason"], "aborted_streaming")
        self.assertTrue(any(o.get("type") == "user" and "[Request interrupted by user]" in json.dumps(o)
                            for o in self.claude.seen))
        self.assertEqual(len(self.fake.requests), 1)

    def test_http_error_is_an_error_result(self):
        self.claude.send(user_message("[http:400]"))
        result = self.claude.read_until(is_result)
        self.assertTrue(result["is_error"])
        self.assertIn("fake error 400", result["result"])
        self.assertEqual(len(self.fake.requests), 1)  # 400 is not retried (2.1.197)
        self.assertEqual(self.claude.finish(), 1)


if __name__ == "__main__":
    unittest.main()
