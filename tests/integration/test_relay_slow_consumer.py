"""tether relay: a client that stops reading while its peer floods is cut off, and the
relay's memory stays bounded (RSS read from /proc)."""
import os
import select
import socket
import unittest

from relay_harness import FakeDaemon, RelayTest, connect_client
from wsclient import Closed, OP_CLOSE

MIB = 1024 * 1024
# Growth of the relay's RSS allowed while one pair floods: the write queue (4 MiB by
# default) plus a frame being read (64 KiB here) plus allocator and sanitizer slack.
# Measured: about +10 MiB (ASan build).
RSS_GROWTH_BOUND_KIB = 32 * 1024
# AddressSanitizer keeps freed memory in a quarantine of up to 256 MiB, which would
# measure ASan rather than the relay: cap it for this process.
ASAN_OPTIONS = "detect_leaks=1:quarantine_size_mb=4:thread_local_quarantine_size_kb=64"


class SlowConsumer(RelayTest):
    def test_a_consumer_that_stops_reading_is_closed_and_memory_stays_bounded(self):
        relay = self.start_relay("--rate", "0", env={"ASAN_OPTIONS": ASAN_OPTIONS})
        fake = FakeDaemon(relay)
        fake.link()
        stalled = connect_client(relay, fake.id)  # never reads from here on
        stalled.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        flooder = fake.accept()
        baseline = relay.rss_kib()
        peak = baseline
        frame = os.urandom(64 * 1024)
        sent = 0
        close_code = None
        flooder.sock.setblocking(False)
        pending = b""
        while sent < 512 * MIB:
            # keep the socket full; stop as soon as the relay says the peer is gone
            r, w, _ = select.select([flooder.sock], [flooder.sock], [], 10)
            if r:
                flooder.sock.settimeout(10)
                try:
                    flooder.recv()
                except Closed as c:
                    close_code = (c.code, c.reason)
                    break
                flooder.sock.setblocking(False)
                continue
            if not w:
                self.fail("the flooder could neither write nor read for 10 s")
            if not pending:
                head = bytes([0x82, 0xFF]) + len(frame).to_bytes(8, "big") + b"\0\0\0\0"  # masked, zero key
                pending = head + frame
            try:
                n = flooder.sock.send(pending)
            except BlockingIOError:
                continue
            pending = pending[n:]
            if not pending:
                sent += len(frame)
                if sent % (4 * MIB) == 0:
                    peak = max(peak, relay.rss_kib())
        peak = max(peak, relay.rss_kib())
        self.assertEqual(close_code, (1001, "peer went away"), f"after {sent} bytes")
        growth = peak - baseline
        print(f"\nslow consumer: flooded {sent // MIB} MiB; relay RSS {baseline} KiB -> peak {peak} KiB "
              f"(+{growth} KiB, bound {RSS_GROWTH_BOUND_KIB} KiB)")
        self.assertLess(growth, RSS_GROWTH_BOUND_KIB)
        self.assertGreater(sent, 4 * MIB)  # the relay did hold a full queue before giving up
        # the stalled client finds its connection gone once it reads what the kernel held
        self.assertIsNone(stalled.wait_close(timeout=30)[0])
        m = relay.metrics()
        self.assertEqual(m['tether_relay_limit_hits_total{limit="write_queue"}'], 1)
        self.assertEqual(m['tether_relay_closes_total{reason="write_queue_full"}'], 1)
        # and the relay goes on serving
        fresh = connect_client(relay, fake.id)
        server = fake.accept()
        fresh.send_binary(b"after")
        self.assertEqual(server.recv_binary(), b"after")
        relay.stop(self)


if __name__ == "__main__":
    unittest.main()
