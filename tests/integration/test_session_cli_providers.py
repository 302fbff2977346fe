"""`tether run --provider codex|opencode` from the CLI, each against its real binary and
its fake model server: the turn is followed to its end and its answer printed."""
import os
import sys
import unittest

from harness import TempHomeTest, run_cli

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from codex_env import codex_bin, codex_env  # noqa: E402
from fake_openai_chat import FakeOpenAIChat  # noqa: E402
from fake_openai_responses import FakeResponses  # noqa: E402
from opencode_env import opencode_bin, opencode_env  # noqa: E402


class RunOtherProviders(TempHomeTest):
    def setUp(self):
        super().setUp()
        self.work = os.path.join(self.tmp, "work")
        os.makedirs(self.work)

    def run_turn(self, provider):
        r = run_cli("run", "--provider", provider, "--cwd", self.work, f"[text:hello from {provider}]",
                    home=self.home, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn(f"hello from {provider}", r.stdout)
        self.assertIn("[idle]", r.stdout)

    def test_run_codex(self):
        fake = FakeResponses()
        fake.start()
        self.addCleanup(fake.stop)
        env = {**os.environ, **codex_env(fake.url, os.path.join(self.tmp, "agent"))}
        self.start_daemon("--codex-bin", codex_bin(), env=env)
        self.run_turn("codex")

    def test_run_opencode(self):
        fake = FakeOpenAIChat().start()
        self.addCleanup(fake.stop)
        env = {**os.environ, **opencode_env(fake.url, os.path.join(self.tmp, "agent"))}
        self.start_daemon("--opencode-bin", opencode_bin(), env=env)
        self.run_turn("opencode")


if __name__ == "__main__":
    unittest.main()
