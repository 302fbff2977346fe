#!/usr/bin/env python3
"""Prints what `make test` skipped, after ctest.

Usage: report_skips.py BUILD_DIR

Reads BUILD_DIR/ctest-junit.xml (ctest --output-junit) for the ctest tests reported as
skipped (a GoogleTest GTEST_SKIP, an integration module whose every test skipped) and
BUILD_DIR/skipped/*.txt for single skipped Python tests (tests/integration/run_suite.py),
and prints how many were skipped and why. Exits 0: a skip is news, not a failure.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET


def ctest_skips(junit: pathlib.Path) -> list[str]:
    if not junit.exists():
        return []
    try:
        root = ET.parse(junit).getroot()
    except ET.ParseError as e:
        return [f"(cannot read {junit}: {e})"]
    out = []
    for case in root.iter("testcase"):
        skipped = case.find("skipped")
        if skipped is None and case.get("status") not in ("notrun", "disabled"):
            continue
        reason = (skipped.get("message") if skipped is not None else None) or case.get("status", "")
        out.append(f"{case.get('name')}: {reason}")
    return out


def python_skips(directory: pathlib.Path) -> list[str]:
    if not directory.is_dir():
        return []
    lines = []
    for f in sorted(directory.glob("*.txt")):
        lines += [line for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = pathlib.Path(sys.argv[1])
    whole = ctest_skips(build / "ctest-junit.xml")
    single = python_skips(build / "skipped")
    if not whole and not single:
        print("make test: nothing skipped")
        return 0
    print(f"make test: {len(whole)} ctest test(s) skipped; {len(single)} integration test(s) skipped in all:")
    for line in whole + single:
        print(f"  skipped {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
