"""The agent's environment: the daemon's own TETHER_* variables and its key never reach the
agent or the commands it runs, nor do other vendors' model keys and cloud secrets (unless
passed with --pass-env), while the rest of the environment does."""
import base64
import os
import unittest

from session_harness import Follower, SessionTest

SECRET = "s3cr3t-value"
MARKER = "marker-7f3a91c2-passes-through"


def key_forms(key_file_bytes):
    """The daemon key file and every usual spelling of the seed in it."""
    lines = key_file_bytes.decode().split("\n")
    assert lines[0] == "tether-daemon-key v1", lines[0]
    b64url = lines[1]
    seed = base64.urlsafe_b64decode(b64url + "=" * (-len(b64url) % 4))
    assert len(seed) == 32, len(seed)
    return {
        "file": key_file_bytes,
        "raw": seed,
        "base64url": b64url.encode(),
        "base64": base64.b64encode(seed),
        "base64 unpadded": base64.b64encode(seed).rstrip(b"="),
        "hex": seed.hex().encode(),
        "HEX": seed.hex().upper().encode(),
    }


class AgentEnvTest(SessionTest):
    def test_tether_variables_and_the_key_do_not_reach_the_agent(self):
        env = self.daemon_env(TETHER_TEST_SECRET=SECRET, TETHER_HOME=self.home, MARKER_VAR=MARKER,
                              OPENAI_API_KEY="sk-other-vendor", AWS_SECRET_ACCESS_KEY="aws-secret",
                              GITHUB_TOKEN="ghp-secret", NPM_TOKEN="npm-passed")
        self.start_session_daemon("--pass-env", "NPM_TOKEN", env=env)
        c = self.client()
        sid = self.create(c, "[bash:env > env.txt]", mode="auto")
        f = Follower(c, sid)
        f.wait_status("idle")
        with open(os.path.join(self.work, "env.txt"), "rb") as fh:
            dumped = fh.read()
        variables = dict(line.split("=", 1) for line in dumped.decode(errors="replace").splitlines() if "=" in line)

        self.assertEqual(variables.get("MARKER_VAR"), MARKER, "the ordinary environment did not pass through")
        # Other vendors' keys and cloud secrets are withheld; --pass-env lets one through.
        for name in ("OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN"):
            self.assertNotIn(name, variables, f"{name} reached Claude's Bash")
        self.assertEqual(variables.get("NPM_TOKEN"), "npm-passed")
        self.assertEqual(variables.get("ANTHROPIC_BASE_URL"), self.fake.url)
        self.assertEqual([name for name in variables if name.startswith("TETHER_")], [])
        self.assertNotIn(SECRET.encode(), dumped)
        self.assertNotIn(self.home, variables.values())
        with open(os.path.join(self.home, "daemon.key"), "rb") as fh:
            forms = key_forms(fh.read())
        for name, form in forms.items():
            self.assertNotIn(form, dumped, f"the daemon key ({name}) reached the agent")
        self.assert_fake_clean()


if __name__ == "__main__":
    unittest.main()
