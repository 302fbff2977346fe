"""Sessions end to end: a tether daemon that runs the real `claude` CLI against the fake
Anthropic API (tests/fakes/fake_anthropic.py) on 127.0.0.1, and clients that follow a
session's events over the local socket."""
import json
import os
import queue
import socket
import sys
import threading
import time

from harness import TempHomeTest, connect

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fakes"))
from claude_env import claude_bin, claude_env  # noqa: E402
from fake_anthropic import FakeAnthropic  # noqa: E402

TURN_TIMEOUT = 60  # seconds; a turn with the fake takes 1-3 s


class Client:
    """A local API connection that reads replies and notifications on a thread."""

    def __init__(self, socket_path):
        self.sock = connect(socket_path, timeout=None)
        self.replies = queue.Queue()
        self.notifications = queue.Queue()
        self.next_id = 1
        self.closed = threading.Event()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        buf = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    line, _, buf = buf.partition(b"\n")
                    msg = json.loads(line)
                    (self.replies if "id" in msg else self.notifications).put(msg)
        except OSError:
            pass
        self.closed.set()

    def call(self, method, params=None, timeout=30):
        req = {"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params or {}}
        self.next_id += 1
        self.sock.sendall(json.dumps(req).encode() + b"\n")
        return self.replies.get(timeout=timeout)

    def result(self, method, params=None):
        reply = self.call(method, params)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply["result"]

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Follower:
    """Follows one session: every session.event in arrival order, checked for gaps."""

    def __init__(self, client, session, since=0):
        self.client = client
        self.session = session
        self.events = []
        reply = client.result("session.subscribe", {"session": session, "since": since})
        self.last_seq_at_subscribe = reply["last_seq"]

    def _take(self, timeout):
        msg = self.client.notifications.get(timeout=timeout)
        if msg.get("method") != "session.event" or msg["params"]["session"] != self.session:
            return None
        event = msg["params"]
        if self.events:
            assert event["seq"] == self.events[-1]["seq"] + 1, f"gap or duplicate: {self.events[-1]['seq']} then {event['seq']}"
        self.events.append(event)
        return event

    def wait_for(self, predicate, timeout=TURN_TIMEOUT, what="event"):
        for e in self.events:
            if predicate(e):
                return e
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                e = self._take(max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if e is not None and predicate(e):
                return e
        kinds = [(e["seq"], e["kind"], e["data"].get("status", "")) for e in self.events]
        raise AssertionError(f"no {what} within {timeout}s; events so far: {kinds}")

    def wait_kind(self, kind, timeout=TURN_TIMEOUT, **fields):
        return self.wait_for(lambda e: e["kind"] == kind and all(e["data"].get(k) == v for k, v in fields.items()),
                             timeout, what=f"{kind} {fields}")

    def wait_status(self, status, timeout=TURN_TIMEOUT):
        return self.wait_kind("status", timeout, status=status)

    def kinds(self):
        return [e["kind"] for e in self.events]


class SessionTest(TempHomeTest):
    """A temp home, a work directory, the fake model server and helpers to run a daemon on them."""

    fake_script = None

    def setUp(self):
        super().setUp()
        self.work = os.path.join(self.tmp, "work")
        os.makedirs(self.work)
        self.fake = FakeAnthropic(script=self.fake_script)
        self.fake.start()
        self.addCleanup(self.fake.stop)
        self.env = dict(os.environ)
        self.env.update(claude_env(self.fake.url, os.path.join(self.tmp, "agent")))
        self.clients = []
        self.addCleanup(self._close_clients)

    def _close_clients(self):
        for c in self.clients:
            c.close()

    def daemon_env(self, **extra):
        env = dict(self.env)
        env.update(extra)
        return env

    def start_session_daemon(self, *extra, env=None):
        return self.start_daemon("--claude-bin", claude_bin(), *extra, env=env or self.env)

    def client(self):
        c = Client(os.path.join(self.home, "tether.sock"))
        self.clients.append(c)
        return c

    def create(self, client, prompt, mode="ask", cwd=None, **extra):
        params = {"cwd": cwd or self.work, "prompt": prompt, "mode": mode, **extra}
        return client.result("session.create", params)["id"]

    def assert_fake_clean(self):
        self.assertEqual(self.fake.errors, [], "the fake model server had errors")


# --- helpers for the mode, fail-closed, interrupt, env and bad-provider tests ---

def wait_after(follower, seq, kind, timeout=TURN_TIMEOUT, **fields):
    """The first `kind` event with these data fields whose seq is above `seq` (an event seen earlier)."""
    return follower.wait_for(lambda e: e["seq"] > seq and e["kind"] == kind
                             and all(e["data"].get(k) == v for k, v in fields.items()),
                             timeout, what=f"{kind} {fields} after seq {seq}")


def session_events(client, session):
    """Every stored event of a session (session.events, no stream), oldest first."""
    events, since = [], 0
    for _ in range(1000):
        page = client.result("session.events", {"session": session, "since": since, "limit": 10000})
        events += page["events"]
        if not page["more"]:
            break
        since = page["since"]
    return events


def tool_results_seen_by_model(fake):
    """Every tool_result block the fake model received, across all requests."""
    return [b for r in fake.requests for m in r.get("messages", []) if isinstance(m, dict) and m.get("role") == "user"
            and isinstance(m.get("content"), list) for b in m["content"]
            if isinstance(b, dict) and b.get("type") == "tool_result"]
