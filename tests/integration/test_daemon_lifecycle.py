"""tether daemon: home, key and socket modes, refusals, status, shutdown, single instance."""
import json
import os
import signal
import subprocess
import unittest

from harness import Daemon, LineSocket, TempHomeTest, mode_of, run_cli


def hung_process_report(d):
    """What a daemon that does not stop is doing (its state, where it waits, each thread's
    wait channel, its log), then kill it."""
    pid = d.proc.pid
    facts = []
    for name in ("status", "wchan", "stack"):
        try:
            with open(f"/proc/{pid}/{name}") as f:
                text = f.read()
            facts.append(f"{name}: " + (" ".join(l for l in text.splitlines() if l.startswith(("State", "Threads")))
                                        if name == "status" else text.strip()))
        except OSError as e:
            facts.append(f"{name}: {e.strerror}")
    try:
        for tid in sorted(os.listdir(f"/proc/{pid}/task")):
            with open(f"/proc/{pid}/task/{tid}/wchan") as f:
                facts.append(f"thread {tid} waits in {f.read().strip() or '-'}")
    except OSError:
        pass
    d.proc.kill()
    d.collect()
    return "; ".join(facts) + f"\nstderr:\n{d.stderr}"


class DaemonLifecycle(TempHomeTest):
    def test_creates_private_home_key_and_socket_and_status_reports_the_id(self):
        d = self.start_daemon()
        self.assertEqual(mode_of(self.home), 0o700)
        self.assertEqual(mode_of(os.path.join(self.home, "daemon.key")), 0o600)
        self.assertEqual(mode_of(d.socket_path), 0o600)
        self.assertEqual(mode_of(os.path.join(self.home, "tether.db")), 0o600)
        self.assertEqual(mode_of(os.path.join(self.home, "daemon.log")), 0o600)
        r = run_cli("status", "--json", home=self.home)
        self.assertEqual(r.returncode, 0, r.stderr)
        info = json.loads(r.stdout)
        self.assertEqual(len(info["daemon_id"]), 43)
        self.assertEqual(info["pid"], d.proc.pid)
        self.assertEqual(info["home"], self.home)
        human = run_cli("status", home=self.home)
        self.assertEqual(human.returncode, 0)
        self.assertIn(info["daemon_id"], human.stdout)
        # the identity survives a restart
        self.assertEqual(d.stop(), 0)
        d2 = self.start_daemon()
        again = json.loads(run_cli("status", "--json", home=self.home).stdout)
        self.assertEqual(again["daemon_id"], info["daemon_id"])
        d2.stop()
        d2.assert_clean_exit(self)

    def test_home_from_environment(self):
        env_home = os.path.join(self.tmp, "envhome")
        os.environ["TETHER_HOME"] = env_home
        try:
            self.home = env_home
            d = Daemon(env_home, pass_home=False)
            self.daemons.append(d)
            d.wait_ready()
            r = run_cli("status", "--json")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)["home"], env_home)
        finally:
            del os.environ["TETHER_HOME"]

    def test_status_without_daemon_exits_1_with_a_hint(self):
        r = run_cli("status", home=self.home)
        self.assertEqual(r.returncode, 1)
        self.assertIn("daemon not running", r.stderr)
        self.assertIn("tether daemon", r.stderr)

    def test_loose_home_is_refused(self):
        os.mkdir(self.home, 0o755)
        os.chmod(self.home, 0o755)
        rc, err = self.refused()
        self.assertEqual(rc, 2)
        self.assertIn(self.home, err)
        self.assertIn("chmod 700", err)
        self.assertFalse(os.path.exists(os.path.join(self.home, "daemon.key")))

    def test_loose_key_is_refused(self):
        d = self.start_daemon()
        d.stop()
        key = os.path.join(self.home, "daemon.key")
        os.chmod(key, 0o644)
        rc, err = self.refused()
        self.assertEqual(rc, 2)
        self.assertIn(key, err)
        self.assertIn("chmod 600", err)

    def test_a_looser_store_is_corrected_at_start_and_one_of_another_user_refused(self):
        d = self.start_daemon()
        self.assertEqual(d.stop(), 0)
        db = os.path.join(self.home, "tether.db")
        os.chmod(db, 0o644)
        d = self.start_daemon()
        self.assertEqual(mode_of(db), 0o600)
        for beside in ("tether.db-wal", "tether.db-shm"):  # made by SQLite with the database's mode
            self.assertEqual(mode_of(os.path.join(self.home, beside)), 0o600, beside)
        self.assertEqual(d.stop(), 0)
        self.assertIn(f"{db} was mode 0644, open to group or others; corrected to 0600", d.stderr)
        with open(os.path.join(self.home, "daemon.log")) as f:
            self.assertIn(f"{db} was mode 0644", f.read())
        if os.geteuid() != 0:
            return  # giving the file to another user needs root
        os.chown(db, 65534, 65534)
        rc, err = self.refused()
        self.assertEqual(rc, 2)
        self.assertIn(f"{db} is owned by uid 65534", err)
        self.assertIn("chown", err)

    def test_corrupt_key_is_refused_and_kept(self):
        os.mkdir(self.home, 0o700)
        key = os.path.join(self.home, "daemon.key")
        with open(key, "w") as f:
            f.write("tether-daemon-key v1\nnot-a-key\n")
        os.chmod(key, 0o600)
        rc, err = self.refused()
        self.assertEqual(rc, 2)
        self.assertIn(key, err)
        self.assertIn("corrupt", err)
        with open(key) as f:
            self.assertEqual(f.read(), "tether-daemon-key v1\nnot-a-key\n")

    def test_sigterm_stops_without_waiting_for_idle_clients_and_removes_the_socket(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            d = self.start_daemon()
            idle = LineSocket(d.socket_path)  # an idle client must not hold the daemon up
            d.proc.send_signal(sig)
            try:
                d.collect()  # reads its output while waiting: a long log cannot block it on a full pipe
            except subprocess.TimeoutExpired:
                self.fail(f"{sig!r} did not stop the daemon in 10 s: {hung_process_report(d)}")
            # Stopped by closing everything, not by the 1.5 s shutdown deadline cutting an idle
            # client off (which would be logged); how long it took is for benchmarks, not here.
            self.assertIn("shutting down", d.stderr)
            self.assertNotIn("shutdown deadline passed", d.stderr)
            d.assert_clean_exit(self)
            self.assertFalse(os.path.exists(d.socket_path))
            self.assertTrue(idle.is_closed())

    def test_daemon_shutdown_method_replies_then_stops(self):
        d = self.start_daemon()
        c = LineSocket(d.socket_path)
        reply = c.call("daemon.shutdown")
        self.assertEqual(reply["result"], {"stopping": True})
        d.proc.wait(timeout=5)
        d.collect()
        d.assert_clean_exit(self)
        self.assertFalse(os.path.exists(d.socket_path))

    def test_second_daemon_says_already_running(self):
        d = self.start_daemon()
        rc, err = self.refused()
        self.assertEqual(rc, 1)
        self.assertIn(f"already running (pid {d.proc.pid})", err)
        # the first one is untouched
        self.assertEqual(run_cli("status", home=self.home).returncode, 0)

    def test_stale_socket_from_a_dead_daemon_is_replaced(self):
        d = self.start_daemon()
        d.stop(sig=signal.SIGKILL)
        self.assertTrue(os.path.exists(d.socket_path))
        self.start_daemon()
        self.assertEqual(run_cli("status", home=self.home).returncode, 0)


class CliBasics(TempHomeTest):
    def test_help_for_every_command(self):
        for args in (["--help"], ["daemon", "--help"], ["status", "--help"]):
            r = run_cli(*args)
            self.assertEqual(r.returncode, 0, args)
            self.assertIn("Usage", r.stdout + r.stderr)

    def test_version(self):
        r = run_cli("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"tether \d+\.\d+\.\d+")

    def test_usage_errors_exit_2(self):
        for args in ([], ["bogus"], ["status", "--bogus"], ["daemon", "--retention-days", "zero"]):
            r = run_cli(*args)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))


if __name__ == "__main__":
    unittest.main()
