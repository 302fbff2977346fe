"""Helpers for integration tests: run the real `tether` binary on a temp home."""
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import unittest

TETHER = os.environ.get("TETHER_BIN", "tether")
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def run_cli(*args, home=None, timeout=30):
    cmd = [TETHER, *args]
    if home is not None:
        cmd += ["--home", home]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    for marker in SANITIZER_MARKERS:
        if marker in r.stderr:
            raise AssertionError(f"sanitizer report from {cmd}:\n{r.stderr}")
    return r


class Daemon:
    """A `tether daemon` child process on `home`."""

    def __init__(self, home, *extra, pass_home=True, env=None, preexec_fn=None):
        self.home = home
        self.socket_path = os.path.join(home, "tether.sock")
        home_args = ["--home", home] if pass_home else []
        if "--listen" not in extra and "--no-direct" not in extra:
            extra = ("--listen", "127.0.0.1:0", *extra)  # tests run in parallel: never the fixed default port
        self.proc = subprocess.Popen([TETHER, "daemon", *home_args, *extra], env=env, preexec_fn=preexec_fn,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stdout = ""
        self.stderr = ""

    def wait_ready(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.collect()
                raise AssertionError(f"daemon exited with {self.proc.returncode}: {self.stderr}")
            if os.path.exists(self.socket_path):
                try:
                    with connect(self.socket_path) as s:
                        s.close()
                    return self
                except OSError:
                    pass
            time.sleep(0.02)
        raise AssertionError("daemon did not become ready")

    def collect(self):
        out, err = self.proc.communicate(timeout=10)
        self.stdout += out or ""
        self.stderr += err or ""

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        self.proc.wait(timeout=timeout)
        self.collect()
        return self.proc.returncode

    def assert_clean_exit(self, test):
        test.assertEqual(self.proc.returncode, 0, self.stderr)
        for marker in SANITIZER_MARKERS:
            test.assertNotIn(marker, self.stderr)


def connect(path, timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


class LineSocket:
    """A client that sends raw bytes and reads newline-delimited replies."""

    def __init__(self, path):
        self.sock = connect(path)
        self.buf = b""

    def send_raw(self, data: bytes):
        self.sock.sendall(data)

    def call(self, method, params=None, id=1):
        req = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            req["params"] = params
        self.send_raw(json.dumps(req).encode() + b"\n")
        return self.read_json()

    def read_line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line

    def read_json(self):
        return json.loads(self.read_line())

    def is_closed(self, timeout=5):
        self.sock.settimeout(timeout)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


class TempHomeTest(unittest.TestCase):
    """Each test gets a fresh directory; `self.home` is a path inside it that does not exist yet."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tether-it-")
        self.home = os.path.join(self.tmp, "home")
        self.daemons = []

    def tearDown(self):
        for d in self.daemons:
            if d.proc.poll() is None:
                d.proc.kill()
                d.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_daemon(self, *extra, env=None, preexec_fn=None):
        d = Daemon(self.home, *extra, env=env, preexec_fn=preexec_fn)
        self.daemons.append(d)
        return d.wait_ready()

    def refused(self):
        """Runs a daemon on the home that is expected to refuse to start: its exit code and stderr."""
        d = Daemon(self.home)
        self.daemons.append(d)
        rc = d.proc.wait(timeout=20)
        d.collect()
        return rc, d.stderr
