"""`tether app-hash DIR` computes the same hash as the build's app-hash.txt recipe (sha256sum
over the sorted files), and says when the files changed since."""
import hashlib
import json
import os
import tempfile
import unittest

from harness import run_cli


def recipe(root):
    """cd DIR && find . -type f ! -name app-hash.txt | sed 's|^./||' | LC_ALL=C sort | xargs sha256sum | sha256sum"""
    files = []
    for d, _, names in os.walk(root):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), root)
            if rel != "app-hash.txt":
                files.append(rel)
    manifest = "".join(f"{hashlib.sha256(open(os.path.join(root, p), 'rb').read()).hexdigest()}  {p}\n"
                       for p in sorted(files, key=lambda s: s.encode()))
    return hashlib.sha256(manifest.encode()).hexdigest()


class AppHash(unittest.TestCase):
    def test_matches_the_recipe_and_detects_a_change(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "assets"))
            for rel, data in (("index.html", b"<html></html>"), ("assets/app-1.js", b"console.log(1)"),
                              ("assets/B.css", b"body{}"), ("icon.svg", b"<svg/>")):
                with open(os.path.join(root, rel), "wb") as f:
                    f.write(data)
            expected = recipe(root)
            r = run_cli("app-hash", root)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.strip(), expected)
            with open(os.path.join(root, "app-hash.txt"), "w") as f:
                f.write(expected + "\n")
            self.assertTrue(json.loads(run_cli("app-hash", root, "--json").stdout)["matches"])
            with open(os.path.join(root, "app-hash.txt"), "w", newline="") as f:
                f.write(expected + "\r\n\n")  # the line ends after the hash are not part of it
            crlf = json.loads(run_cli("app-hash", root, "--json").stdout)
            self.assertEqual((crlf["recorded"], crlf["matches"]), (expected, True))
            with open(os.path.join(root, "assets/app-1.js"), "ab") as f:
                f.write(b";evil()")
            changed = run_cli("app-hash", root)
            self.assertEqual(changed.returncode, 1)
            self.assertIn("changed since the build", changed.stderr)

    def test_a_missing_directory_is_a_clear_error(self):
        r = run_cli("app-hash", "/nonexistent/dist")
        self.assertEqual(r.returncode, 1)
        self.assertIn("make web", r.stderr)


if __name__ == "__main__":
    unittest.main()
