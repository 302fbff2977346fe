"""Skipped tests are reported as skipped: run_suite.py's exit code for ctest (77 when a
module skipped everything), the per-test skip list, and what `make test` prints from it
(scripts/report_skips.py), on fixture modules and a made-up ctest JUnit report."""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
RUNNER = HERE / "run_suite.py"
REPORT = HERE.parent.parent / "scripts" / "report_skips.py"
FIXTURES = HERE / "fixtures"


def run_suite(module: str, skip_dir: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TETHER_SKIP_DIR=skip_dir, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, str(RUNNER), module], cwd=FIXTURES, env=env, capture_output=True,
                          text=True, timeout=60)


class SkipReporting(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.skip_dir = os.path.join(self.tmp.name, "skipped")

    def tearDown(self):
        self.tmp.cleanup()

    def test_a_module_that_skipped_everything_exits_77_and_lists_why(self):
        r = run_suite("skips_all", self.skip_dir)
        self.assertEqual(r.returncode, 77, r.stderr)
        listed = pathlib.Path(self.skip_dir, "skips_all.txt").read_text().splitlines()
        self.assertEqual(len(listed), 2, listed)
        self.assertTrue(any("needs a tool this machine lacks" in line for line in listed), listed)
        self.assertTrue(any("not root" in line for line in listed), listed)

    def test_a_module_with_a_pass_exits_0_and_still_lists_its_skip(self):
        r = run_suite("skips_some", self.skip_dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = pathlib.Path(self.skip_dir, "skips_some.txt").read_text().splitlines()
        self.assertEqual(len(listed), 1, listed)
        self.assertIn("test_skips", listed[0])
        self.assertIn("needs zbarimg", listed[0])

    def test_a_failure_is_a_failure_whatever_skipped(self):
        self.assertEqual(run_suite("fails_one", self.skip_dir).returncode, 1)

    def test_the_report_counts_ctest_skips_and_single_skips(self):
        build = pathlib.Path(self.tmp.name)
        self.assertEqual(run_suite("skips_some", self.skip_dir).returncode, 0)
        (build / "ctest-junit.xml").write_text(
            '<?xml version="1.0"?><testsuite tests="3">'
            '<testcase name="crypto.CipherState.AesGcm" status="run"><skipped message="no AES-NI"/></testcase>'
            '<testcase name="integration.peer_uid" status="notrun"/>'
            '<testcase name="core.Errc.RoundTrip" status="run"/>'
            '</testsuite>')
        r = subprocess.run([sys.executable, str(REPORT), str(build)], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("2 ctest test(s) skipped; 1 integration test(s) skipped", r.stdout)
        self.assertIn("crypto.CipherState.AesGcm: no AES-NI", r.stdout)
        self.assertIn("integration.peer_uid", r.stdout)
        self.assertIn("needs zbarimg", r.stdout)
        self.assertNotIn("core.Errc.RoundTrip", r.stdout)

    def test_the_report_says_when_nothing_skipped(self):
        r = subprocess.run([sys.executable, str(REPORT), self.tmp.name], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.stdout.strip(), "make test: nothing skipped")


if __name__ == "__main__":
    unittest.main()
