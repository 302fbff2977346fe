"""Catching up and carrying on: a subscriber that missed a thousand events gets exactly
the ones after its `since` and then the live ones, and a session whose daemon was killed
with SIGKILL mid-turn keeps its committed history and resumes the same Claude session."""
import os
import re
import signal
import unittest

# session_harness first: it puts tests/fakes on sys.path
from relay_harness import wait_for
from session_harness import TURN_TIMEOUT, Follower, SessionTest, session_events
from fake_anthropic import _texts, slow_turn  # noqa: E402

MANY = 1500  # text deltas in the long turn
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def last_user_text(body):
    """The last text block of the last user message that has text."""
    for m in reversed(body.get("messages", [])):
        if isinstance(m, dict) and m.get("role") == "user":
            texts = [t for t in _texts(m.get("content")) if t]
            if texts:
                return texts[-1]
    return ""


def comparable(e):
    return (e["seq"], e["kind"], e["data"])


class MissedEvents(SessionTest):
    def fake_script(self, body):
        prompt = last_user_text(body)
        if "[many]" in prompt:
            return slow_turn(chunks=MANY, chunk="x", delay=0)
        if "[trickle]" in prompt:
            return slow_turn(chunks=120, chunk="y", delay=0.025)
        return None

    def test_a_late_subscriber_gets_exactly_what_it_missed_then_the_live_stream(self):
        d = self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "[many]")  # nobody follows this session while it runs

        def idle_after_many():
            s = c.result("session.get", {"session": sid})
            return s["status"] == "idle" and s["last_seq"] > MANY and s
        first = wait_for(idle_after_many, timeout=TURN_TIMEOUT, what="the long turn to end")
        deltas = [e for e in session_events(c, sid) if e["kind"] == "assistant_delta"]
        self.assertGreaterEqual(len(deltas), 1100, "the long turn should commit over a thousand events")

        # a second turn trickles live events while the late subscriber replays
        c.result("session.send", {"session": sid, "text": "[trickle]"})
        wait_for(lambda: c.result("session.get", {"session": sid})["last_seq"] >= first["last_seq"] + 8,
                 timeout=TURN_TIMEOUT, what="the second turn to stream")
        now = c.result("session.get", {"session": sid})
        self.assertEqual(now["status"], "running", "the second turn ended before the subscriber came")
        since = now["last_seq"] - 1000

        late = self.client()  # a fresh connection
        f = Follower(late, sid, since=since)
        self.assertGreaterEqual(f.last_seq_at_subscribe, now["last_seq"])
        end = f.wait_for(lambda e: e["kind"] == "status" and e["data"].get("status") == "idle"
                         and e["seq"] > f.last_seq_at_subscribe, what="the second turn's idle")
        self.assertEqual(f.events[0]["seq"], since + 1, "the replay must start right after since")
        seqs = [e["seq"] for e in f.events]
        self.assertEqual(seqs, list(range(since + 1, end["seq"] + 1)), "gap or duplicate")

        stored = session_events(c, sid)
        by_seq = {e["seq"]: e for e in stored}
        self.assertEqual([comparable(e) for e in f.events], [comparable(by_seq[s]) for s in seqs])
        self.assertEqual([e["time"] for e in f.events], [by_seq[s]["time"] for s in seqs])
        replayed = [e for e in f.events if e["seq"] <= f.last_seq_at_subscribe]
        live = [e for e in f.events if e["seq"] > f.last_seq_at_subscribe]
        self.assertEqual(len(replayed), f.last_seq_at_subscribe - since)
        self.assertGreaterEqual(sum(e["kind"] == "assistant_delta" and e["data"]["text"] == "x" for e in replayed), 900)
        self.assertTrue(any(e["kind"] == "assistant_delta" and e["data"]["text"] == "y" for e in live),
                        "no live delta of the second turn arrived after the replay")
        self.assertEqual(live[-1]["kind"], "status")
        self.assertEqual(stored[-1]["seq"], end["seq"], "the follower missed events at the end")
        # the turn's full text arrives whole at the end
        text = next(e for e in reversed(f.events) if e["kind"] == "assistant_text")
        self.assertEqual(text["data"]["text"], "y" * 120)
        d.stop()
        d.assert_clean_exit(self)
        self.assert_fake_clean()


def children_of(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except FileNotFoundError:
        pass
    return kids


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""


def gone(pid):
    """True when `pid` no longer runs (no such process, or a zombie nobody reaped yet)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


class KillAndResume(SessionTest):
    def test_sigkill_mid_turn_keeps_the_history_and_the_same_claude_session_resumes(self):
        d = self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "[text:first answer]")
        f = Follower(c, sid)
        f.wait_kind("assistant_text", text="first answer")
        f.wait_status("idle")
        first_turn = session_events(c, sid)
        self.assertEqual(first_turn[-1]["kind"], "status")

        c.result("session.send", {"session": sid, "text": "[slow]"})
        f.wait_for(lambda e: e["kind"] == "assistant_delta" and e["data"]["text"] == "slow ", what="the slow turn")
        f.wait_for(lambda e: sum(x["kind"] == "assistant_delta" for x in f.events) >= 3, what="a few slow deltas")
        claude = [p for p in children_of(d.proc.pid) if b"claude" in cmdline(p)]
        self.assertEqual(len(claude), 1, f"expected one claude child of the daemon, got {claude}")
        seen_before_kill = list(f.events)

        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait(timeout=10)
        d.collect()
        c.close()
        try:
            os.killpg(claude[0], signal.SIGKILL)  # the agent runs in its own process group
        except ProcessLookupError:
            pass
        wait_for(lambda: gone(claude[0]), timeout=10, what="the orphaned claude to die")

        d2 = self.start_session_daemon()
        c2 = self.client()
        listed = {s["id"]: s for s in c2.result("session.list")["sessions"]}
        self.assertEqual(listed[sid]["status"], "exited")
        self.assertEqual(listed[sid]["pending_approvals"], 0)

        after = session_events(c2, sid)
        self.assertEqual(after[:len(first_turn)], first_turn, "the first turn's events changed across the restart")
        by_seq = {e["seq"]: e for e in after}
        for e in seen_before_kill:  # everything a subscriber saw had been committed
            self.assertEqual(comparable(by_seq[e["seq"]]), comparable(e))
        self.assertEqual(after[-1]["kind"], "status")
        self.assertEqual(after[-1]["data"]["status"], "exited")
        restart_seq = after[-1]["seq"]

        f2 = Follower(c2, sid, since=restart_seq)
        c2.result("session.send", {"session": sid, "text": "[text:after restart]"})
        f2.wait_kind("assistant_text", text="after restart")
        f2.wait_status("idle")
        self.assertEqual(f2.events[0]["seq"], restart_seq + 1)

        last = self.fake.requests[-1]
        user_texts = [t for m in last["messages"] if m.get("role") == "user" for t in _texts(m.get("content"))]
        assistant_texts = [t for m in last["messages"] if m.get("role") == "assistant"
                           for t in _texts(m.get("content"))]
        self.assertTrue(any("[text:first answer]" in t for t in user_texts), user_texts)
        self.assertIn("first answer", assistant_texts)
        self.assertTrue(any("[text:after restart]" in t for t in user_texts), user_texts)
        # metadata.user_id names the CLI's session: one id across both processes
        claude_sessions = {m for r in self.fake.requests
                           for m in UUID.findall(str(r.get("metadata", {}).get("user_id")))}
        self.assertEqual(len(claude_sessions), 1, f"not one Claude session across the restart: {claude_sessions}")

        final = session_events(c2, sid)
        self.assertEqual([e["seq"] for e in final], list(range(1, len(final) + 1)), "seq has a gap")
        self.assertEqual(final[:len(after)], after)
        self.assertEqual(c2.result("session.get", {"session": sid})["status"], "idle")
        d2.stop()
        d2.assert_clean_exit(self)
        self.assert_fake_clean()


if __name__ == "__main__":
    unittest.main()
