"""The tether command line as a new user meets it: typos, where global options go, --json failures."""
import json
import os

from harness import TempHomeTest, run_cli


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
