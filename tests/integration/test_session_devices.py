"""Sessions driven from paired devices through the relay: a real `tether relay`, a daemon
linked to it running the real Claude Code CLI against the fake model server, and CLI
devices (`tether --host NAME …`, each with its own client home) that approve, follow, and
— when read-only — are refused everything but reading."""
import json
import os
import queue
import subprocess
import threading
import time
import unittest

from harness import SANITIZER_MARKERS, TETHER, run_cli
from relay_harness import Relay, check_log_clean, wait_for
from session_harness import TURN_TIMEOUT, Follower, SessionTest, session_events

CLI_TIMEOUT = 60  # one `tether --host …` call: connect through the relay, one request


class Device:
    """A CLI paired with the daemon through the relay, on its own client home."""

    def __init__(self, name, home, device_id, mode):
        self.name = name
        self.home = home
        self.id = device_id
        self.mode = mode

    def run(self, *args, timeout=CLI_TIMEOUT):
        return run_cli("--host", self.name, *args, home=self.home, timeout=timeout)


class Attached:
    """`tether --host NAME attach ID --json` in the background; its stdout lines (one event
    each) are read on a thread into a queue."""

    def __init__(self, device, session, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w")
        cmd = [TETHER, "--host", device.name, "attach", session, "--json", "--home", device.home]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.lines = queue.Queue()
        self.events = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, predicate, timeout=TURN_TIMEOUT, what="event"):
        for e in self.events:
            if predicate(e):
                return e
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                with open(self.log_path, errors="replace") as f:
                    raise AssertionError(f"attach ended (rc {self.proc.poll()}) before {what}: {f.read()}")
            e = json.loads(line)
            if self.events:
                assert e["seq"] == self.events[-1]["seq"] + 1, \
                    f"gap or duplicate: {self.events[-1]['seq']} then {e['seq']}"
            self.events.append(e)
            if predicate(e):
                return e
        kinds = [x["kind"] for x in self.events]
        raise AssertionError(f"no {what} on the attached device within {timeout}s; got {kinds}")

    def wait_kind(self, kind, **fields):
        return self.wait_for(lambda e: e["kind"] == kind and all(e["data"].get(k) == v for k, v in fields.items()),
                             what=f"{kind} {fields}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.reader.join(timeout=5)
        self.proc.stdout.close()
        self.log.close()
        with open(self.log_path, errors="replace") as f:
            text = f.read()
        for marker in SANITIZER_MARKERS:
            assert marker not in text, f"sanitizer report from attach:\n{text}"


class SessionDevicesTest(SessionTest):
    """A relay, a daemon linked to it (no direct listener), and helpers to pair devices."""

    def setUp(self):
        super().setUp()
        self.relay = Relay(self.tmp)
        self.addCleanup(self.relay.kill)
        self.attached = []
        self.addCleanup(self._stop_attached)
        self.daemon = self.start_session_daemon("--no-direct", "--relay", self.relay.url(), "--relay-backoff-max", "1")
        self.local = self.client()
        wait_for(lambda: self.local.result("daemon.info")["relay"]["state"] == "connected", timeout=30, interval=0.1,
                 what="the daemon's relay link")

    def tearDown(self):
        self._stop_attached()
        self.daemon.stop()
        self.relay.stop()
        try:
            self.daemon.assert_clean_exit(self)
            check_log_clean(self, self.relay.log_path)
        finally:
            super().tearDown()

    def _stop_attached(self):
        while self.attached:
            self.attached.pop().stop()

    def pair(self, name, read_only=False):
        client_home = os.path.join(self.tmp, f"client-{name}")
        args = [TETHER, "pair", "--home", self.home, "--json", "--no-qr", "--yes", "--name", name]
        if read_only:
            args.append("--read-only")
        p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            offer = json.loads(p.stdout.readline())
            r = run_cli("remote", "add", name, offer["link"], "--via", "relay", "--json", "--yes", home=client_home,
                        timeout=CLI_TIMEOUT)
            self.assertEqual(r.returncode, 0, r.stderr)
            _, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 0, err)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        paired = json.loads(r.stdout)
        self.assertEqual(paired["via"], "relay")
        device = Device(name, client_home, paired["device_id"], "read_only" if read_only else "full")
        listed = {d["id"]: d for d in self.local.result("device.list")["devices"]}
        self.assertEqual(listed[device.id]["mode"], device.mode)
        return device

    def attach(self, device, session):
        a = Attached(device, session, os.path.join(self.tmp, f"attach-{device.name}-{time.monotonic_ns()}.log"))
        self.attached.append(a)
        return a

    def ask_bash(self):
        """A local session whose first call is `echo hi > out.txt`; returns (id, follower, approval event)."""
        sid = self.create(self.local, "please [bash:echo hi > out.txt]")
        f = Follower(self.local, sid)
        asked = f.wait_kind("approval_requested")
        self.assertEqual(asked["data"]["input"]["command"], "echo hi > out.txt")
        self.assertFalse(os.path.exists(self.out_txt()), "the tool ran before anyone answered")
        return sid, f, asked

    def out_txt(self):
        return os.path.join(self.work, "out.txt")

    def events(self, sid):
        return session_events(self.local, sid)

    def pending_ids(self):
        return [a["id"] for a in self.local.result("approval.list")["approvals"]]


class AllowThroughRelay(SessionDevicesTest):
    def test_a_full_device_allows_through_the_relay_and_the_events_record_it(self):
        a = self.pair("A")
        sid, f, asked = self.ask_bash()
        approval = asked["data"]["approval_id"]

        r = a.run("approve", approval)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(approval, r.stdout)
        f.wait_kind("assistant_text", text="done")
        f.wait_status("idle")
        with open(self.out_txt()) as out:
            self.assertEqual(out.read(), "hi\n")

        events = self.events(sid)
        self.assertEqual([e["seq"] for e in events], list(range(1, len(events) + 1)), "seqs not contiguous from 1")
        kinds = [e["kind"] for e in events]
        pos = {k: kinds.index(k) for k in ("tool_call", "approval_requested", "approval_resolved", "tool_result")}
        done = next(i for i, e in enumerate(events) if e["kind"] == "assistant_text" and e["data"]["text"] == "done")
        order = [pos["tool_call"], pos["approval_requested"], pos["approval_resolved"], pos["tool_result"], done]
        self.assertEqual(order, sorted(set(order)), kinds)
        resolved = events[pos["approval_resolved"]]["data"]
        self.assertEqual(resolved["approval_id"], approval)
        self.assertEqual(resolved["decision"], "allow")
        self.assertEqual(resolved["by"], a.id)
        call = events[pos["tool_call"]]["data"]
        self.assertEqual(events[pos["tool_result"]]["data"]["tool_use_id"], call["tool_use_id"])
        self.assertFalse(events[pos["tool_result"]]["data"]["is_error"])

        # the device reads the same history through the relay (`logs` pages via session.events)
        r = a.run("logs", sid, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        remote = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual([(e["seq"], e["kind"], e["data"]) for e in remote],
                         [(e["seq"], e["kind"], e["data"]) for e in events])
        audit = self.local.result("audit.list")["entries"]
        self.assertTrue(any(e["action"] == "approval_allowed" and e["actor"] == a.id and e["target"] == approval
                            for e in audit), audit)
        self.assert_fake_clean()


class TwoDevices(SessionDevicesTest):
    def test_the_second_device_sees_the_first_answer_and_cannot_answer_again(self):
        a = self.pair("A")
        b = self.pair("B")
        sid, f, asked = self.ask_bash()
        approval = asked["data"]["approval_id"]

        follow_b = self.attach(b, sid)
        seen = follow_b.wait_kind("approval_requested")  # B replays the history up to the question
        self.assertEqual(seen["data"]["approval_id"], approval)
        self.assertEqual(seen["seq"], asked["seq"])

        r = a.run("approve", approval)
        self.assertEqual(r.returncode, 0, r.stderr)
        resolved = follow_b.wait_kind("approval_resolved", approval_id=approval)
        self.assertEqual(resolved["data"]["by"], a.id)
        self.assertEqual(resolved["data"]["decision"], "allow")

        late = b.run("approve", approval)
        self.assertNotEqual(late.returncode, 0, late.stdout)
        self.assertIn("already", late.stderr)
        self.assertIn("allowed", late.stderr)
        self.assertIn(a.id, late.stderr, "the refusal should say who decided")
        late_deny = b.run("deny", approval, "-m", "too late")
        self.assertNotEqual(late_deny.returncode, 0)
        self.assertIn("already", late_deny.stderr)

        follow_b.wait_kind("assistant_text", text="done")
        follow_b.wait_kind("status", status="idle")
        f.wait_status("idle")
        self.assertTrue(os.path.exists(self.out_txt()))
        resolutions = [e for e in self.events(sid) if e["kind"] == "approval_resolved"]
        self.assertEqual(len(resolutions), 1, resolutions)  # B's late answers changed nothing
        # what B streamed is exactly what was committed, in order
        stored = {e["seq"]: (e["kind"], e["data"]) for e in self.events(sid)}
        self.assertEqual([(e["kind"], e["data"]) for e in follow_b.events], [stored[e["seq"]] for e in follow_b.events])
        self.assertEqual(follow_b.events[0]["seq"], 1)
        self.assert_fake_clean()


class ReadOnlyDevice(SessionDevicesTest):
    def assert_refused(self, r, what):
        self.assertNotEqual(r.returncode, 0, f"{what} was not refused: {r.stdout}")
        self.assertRegex(r.stderr, r"not allowed|permission denied", what)
        self.assertRegex(r.stderr, r"read[_-]only", what)

    def test_a_read_only_device_follows_but_cannot_act(self):
        ro = self.pair("R", read_only=True)
        a = self.pair("A")
        sid, f, asked = self.ask_bash()
        approval = asked["data"]["approval_id"]

        r = ro.run("ls", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        listed = json.loads(r.stdout)["sessions"]
        self.assertEqual([s["id"] for s in listed], [sid])
        self.assertEqual(listed[0]["status"], "waiting_for_approval")
        self.assertEqual(listed[0]["pending_approvals"], 1)
        r = ro.run("approvals", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([x["id"] for x in json.loads(r.stdout)["approvals"]], [approval])

        follow_r = self.attach(ro, sid)
        self.assertEqual(follow_r.wait_kind("approval_requested")["data"]["approval_id"], approval)

        self.assert_refused(ro.run("approve", approval), "approve")
        self.assert_refused(ro.run("deny", approval), "deny")
        self.assert_refused(ro.run("send", sid, "text"), "send")
        self.assert_refused(ro.run("run", "x", "--detach", "--cwd", self.work), "run --detach")
        self.assert_refused(ro.run("stop", sid), "stop")

        # nothing moved: the question is still open, no prompt was added, no session created
        self.assertEqual(self.pending_ids(), [approval])
        self.assertEqual([s["id"] for s in self.local.result("session.list")["sessions"]], [sid])
        self.assertEqual(self.local.result("session.get", {"session": sid})["status"], "waiting_for_approval")
        self.assertFalse(os.path.exists(self.out_txt()))
        kinds = [e["kind"] for e in self.events(sid)]
        self.assertEqual(kinds.count("user_message"), 1, kinds)
        self.assertNotIn("approval_resolved", kinds)

        r = a.run("approve", approval)
        self.assertEqual(r.returncode, 0, r.stderr)
        resolved = follow_r.wait_kind("approval_resolved", approval_id=approval)
        self.assertEqual(resolved["data"]["by"], a.id)
        follow_r.wait_kind("status", status="idle")
        f.wait_status("idle")
        self.assertEqual(self.pending_ids(), [])
        self.assertTrue(os.path.exists(self.out_txt()))
        refusals = [e for e in self.local.result("audit.list")["entries"] if e["actor"] == ro.id
                    and e["action"] in ("approval_allowed", "approval_denied", "session_create")]
        self.assertEqual(refusals, [])
        self.assert_fake_clean()


if __name__ == "__main__":
    unittest.main()
