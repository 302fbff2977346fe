"""session.interrupt with the real Claude Code CLI: a slow answer (40 deltas, 0.25 s apart)
is cut short, the session goes idle, and the same agent takes the next prompt."""
import unittest

from session_harness import Follower, SessionTest, wait_after

SLOW_CHUNKS = 40  # the fake's [slow] turn


class InterruptTest(SessionTest):
    def test_interrupt_ends_the_turn_and_the_session_takes_the_next_prompt(self):
        self.start_session_daemon()
        c = self.client()
        sid = self.create(c, "[slow]")
        f = Follower(c, sid)
        for n in range(1, 4):
            f.wait_for(lambda e: sum(x["kind"] == "assistant_delta" for x in f.events) >= n, what=f"{n} deltas")
        pid_before = c.result("daemon.info")["pid"]
        c.result("session.interrupt", {"session": sid})
        idle = f.wait_status("idle")
        self.assertTrue(any(e["kind"] == "notice" and "interrupted" in e["data"].get("text", "") for e in f.events),
                        f.kinds())
        deltas = [e for e in f.events if e["kind"] == "assistant_delta"]
        self.assertLess(len(deltas), SLOW_CHUNKS, "the slow answer ran to its end")
        self.assertNotIn("slow " * SLOW_CHUNKS, [e["data"].get("text") for e in f.events if e["kind"] == "assistant_text"])
        # A turn cut short, not a failed one: no error event, and the idle carries no turn_error.
        self.assertEqual([e for e in f.events if e["kind"] == "error"], [])
        self.assertNotIn("turn_error", idle["data"])
        # The process lives on: no exit status before the idle.
        self.assertEqual([e for e in f.events if e["kind"] == "status" and e["data"]["status"] in ("exited", "error")], [])

        c.result("session.send", {"session": sid, "text": "[text:after]"})
        wait_after(f, idle["seq"], "assistant_text", text="after")
        wait_after(f, idle["seq"], "status", status="idle")
        # Interrupting an idle agent is refused, not fatal.
        again = c.call("session.interrupt", {"session": sid})
        self.assertEqual(again["error"]["data"]["code"], "idle", again)
        self.assertEqual(c.result("daemon.info")["pid"], pid_before)
        self.assert_fake_clean()


if __name__ == "__main__":
    unittest.main()
