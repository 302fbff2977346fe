"""A connection from another uid is refused by the SO_PEERCRED check, even when
file permissions were loosened by mistake."""
import json
import os
import shutil
import subprocess
import unittest

from harness import LineSocket, TempHomeTest

OTHER_UID = 65534  # nobody

CLIENT = r"""
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
try:
    s.sendall(b'{"jsonrpc":"2.0","id":1,"method":"daemon.info"}\n')
except (BrokenPipeError, ConnectionResetError):
    pass  # the daemon may have refused us before we wrote; its answer is still there to read
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode())
"""


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"),
                     "needs root and setpriv to connect as another uid")
class PeerUid(TempHomeTest):
    def test_other_uid_is_refused_and_owner_still_served(self):
        d = self.start_daemon()
        # Loosen everything so only the peer-credential check stands in the way.
        os.chmod(self.tmp, 0o711)
        os.chmod(self.home, 0o711)
        os.chmod(d.socket_path, 0o777)
        r = subprocess.run(["setpriv", f"--reuid={OTHER_UID}", f"--regid={OTHER_UID}", "--clear-groups",
                            "python3", "-c", CLIENT, d.socket_path],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(l) for l in r.stdout.splitlines() if l]
        self.assertEqual(len(lines), 1, r.stdout)  # the refusal only, never a result
        self.assertEqual(lines[0]["error"]["code"], -32001)
        self.assertIn(str(OTHER_UID), lines[0]["error"]["message"])
        c = LineSocket(d.socket_path)
        self.assertIn("result", c.call("daemon.info"))
        d.stop()
        d.assert_clean_exit(self)
        self.assertIn(f"refused a connection from uid {OTHER_UID}", d.stderr)


if __name__ == "__main__":
    unittest.main()
