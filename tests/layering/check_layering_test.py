"""scripts/check_layering.py on the small trees of tests/data/layering: a clean one, and one
per kind of violation, each with the exit code and the exact lines it must print."""

import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "check_layering.py")
FIXTURES = os.path.join(HERE, "..", "data", "layering")


def check(tree):
    """(exit code, stdout lines) of the checker on one fixture tree."""
    run = subprocess.run([sys.executable, SCRIPT, "--root", os.path.join(FIXTURES, tree)],
                         capture_output=True, text=True, timeout=60)
    return run.returncode, run.stdout.splitlines()


class CheckLayeringTest(unittest.TestCase):
    def assert_violations(self, tree, expected):
        code, lines = check(tree)
        self.assertEqual(code, 1, lines)
        n = len(expected)
        self.assertEqual(lines, expected + [f"layering: {n} violation{'s' if n != 1 else ''}"])

    def test_clean_tree_passes_with_a_summary(self):
        # Self-includes, a detail/ subfolder, the generated core/version.hpp, <...> and
        # third-party quoted includes, a multi-line declaration, the shared provider header.
        code, lines = check("clean")
        self.assertEqual(code, 0, lines)
        self.assertEqual(lines, ["layering: 5 targets, 10 files, 13 includes of tether folders, all declared"])

    def test_undeclared_include(self):
        self.assert_violations("undeclared", [
            'src/daemon/link.cpp:3: includes "relay/wire.hpp" but tether_daemon does not declare tether_relay',
        ])

    def test_dependency_on_a_target_that_does_not_exist(self):
        self.assert_violations("missing_target", [
            "src/daemon/CMakeLists.txt:2: tether_daemon declares tether_prto, which is not a target",
        ])

    def test_executable_of_the_top_cmakelists(self):
        self.assert_violations("main_undeclared", [
            'src/main.cpp:2: includes "relay/relay_command.hpp" but tether does not declare tether_relay',
        ])

    def test_nested_folders_are_their_own_or_their_parents(self):
        self.assert_violations("nested", [
            'src/net/detail/loop.hpp:3: includes "store/store.hpp" but tether_net does not declare tether_store',
            'src/providers/claude/claude_provider.cpp:2: includes "providers/codex/app_server.hpp" '
            "but tether_provider_claude does not declare tether_provider_codex",
        ])

    def test_folder_without_a_target(self):
        self.assert_violations("no_owner", [
            'src/core/log.cpp:2: includes "util/strings.hpp", which belongs to no tether target',
            "src/util/strings.hpp: belongs to no tether target",
        ])

    def test_shared_provider_header(self):
        self.assert_violations("shared_header", [
            'src/cli/commands.cpp:2: includes "providers/provider.hpp" but tether_cli declares none of tether_provider_claude',
            'src/providers/provider.hpp:3: includes "store/store.hpp" but tether_provider_claude does not declare tether_store',
        ])

    def test_root_that_is_not_a_project(self):
        run = subprocess.run([sys.executable, SCRIPT, "--root", HERE], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 2)
        self.assertIn("has no CMakeLists.txt and src/", run.stderr)


if __name__ == "__main__":
    unittest.main()
