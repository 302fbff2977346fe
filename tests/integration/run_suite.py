"""Runs one integration module the way ctest expects it.

Usage: python3 run_suite.py test_pairing

Exits 0 when every test passed (some may have been skipped), 1 when one failed, and 77 (the
suite's SKIP_RETURN_CODE) when every test was skipped, so that ctest reports the suite as
skipped, not passed. Each skipped test is also written, with its reason, to
$TETHER_SKIP_DIR/<module>.txt (when that is set), which `make test` sums up afterwards.
"""
import os
import sys
import unittest

SKIPPED_ALL = 77


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    module = sys.argv[1]
    sys.path.insert(0, os.getcwd())  # the module is found where it is run from
    suite = unittest.defaultTestLoader.loadTestsFromName(module)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    skip_dir = os.environ.get("TETHER_SKIP_DIR")
    if skip_dir:
        os.makedirs(skip_dir, exist_ok=True)
        path = os.path.join(skip_dir, f"{module}.txt")
        if result.skipped:
            with open(path, "w", encoding="utf-8") as f:
                for test, reason in result.skipped:
                    f.write(f"{test.id()}: {reason}\n")
        elif os.path.exists(path):
            os.remove(path)
    if not result.wasSuccessful():
        return 1
    if result.testsRun > 0 and len(result.skipped) == result.testsRun:
        print(f"{module}: all {result.testsRun} test(s) skipped", file=sys.stderr)
        return SKIPPED_ALL
    return 0


if __name__ == "__main__":
    sys.exit(main())
