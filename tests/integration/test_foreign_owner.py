"""A home, key or database owned by another user is refused: `tether daemon` exits 2 with a
message naming the path and the chown that fixes it, and leaves every file in the home as it
was, the lock's pid and the log included (root here, so only the ownership check stands in
the way)."""
import hashlib
import os
import unittest

from harness import TempHomeTest

OTHER_UID = 65534  # nobody
EXIT_REFUSED = 2


def snapshot(top):
    """Every entry under `top`: its kind, owner, mode, size, mtime and content hash."""
    out = {}
    for root, dirs, files in os.walk(top):
        for name in dirs + files:
            path = os.path.join(root, name)
            st = os.lstat(path)
            digest = ""
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            out[os.path.relpath(path, top)] = (st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime_ns, digest)
    st = os.lstat(top)
    out["."] = (st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns)
    return out


@unittest.skipUnless(os.geteuid() == 0, "not root: cannot give a file to another uid")
class ForeignOwner(TempHomeTest):
    def used_home(self):
        """A home a daemon has run on: key, database, log and lock all there."""
        d = self.start_daemon()
        self.assertEqual(d.stop(), 0, d.stderr)

    def assert_refused_untouched(self, path):
        before = snapshot(self.home)
        rc, err = self.refused()
        self.assertEqual(rc, EXIT_REFUSED, err)
        self.assertIn(f"{path} is owned by uid {OTHER_UID}", err)
        self.assertIn(f"chown {os.geteuid()} {path}", err)
        self.assertEqual(snapshot(self.home), before, "the refused daemon changed the home")
        self.assertFalse(os.path.exists(os.path.join(self.home, "tether.sock")))

    def test_a_home_owned_by_another_user_is_refused(self):
        os.mkdir(self.home, 0o700)
        os.chown(self.home, OTHER_UID, OTHER_UID)
        self.assert_refused_untouched(self.home)
        self.assertEqual(os.listdir(self.home), [], "nothing is created in a foreign home")

    def test_a_used_home_owned_by_another_user_is_refused(self):
        self.used_home()
        os.chown(self.home, OTHER_UID, OTHER_UID)
        self.assert_refused_untouched(self.home)

    def test_a_key_owned_by_another_user_is_refused(self):
        self.used_home()
        key = os.path.join(self.home, "daemon.key")
        os.chown(key, OTHER_UID, OTHER_UID)
        self.assert_refused_untouched(key)

    def test_a_database_owned_by_another_user_is_refused(self):
        self.used_home()
        db = os.path.join(self.home, "tether.db")
        os.chown(db, OTHER_UID, OTHER_UID)
        self.assert_refused_untouched(db)

    def test_the_home_is_served_again_once_the_owner_is_fixed(self):
        self.used_home()
        key = os.path.join(self.home, "daemon.key")
        os.chown(key, OTHER_UID, OTHER_UID)
        rc, _ = self.refused()
        self.assertEqual(rc, EXIT_REFUSED)
        os.chown(key, os.geteuid(), os.getegid())
        d = self.start_daemon()
        self.assertEqual(d.stop(), 0, d.stderr)


if __name__ == "__main__":
    unittest.main()
