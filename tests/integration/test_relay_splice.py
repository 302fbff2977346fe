"""tether relay: connect, accept and splice — through a real daemon and through a fake one."""
import os
import random
import time
import unittest

from relay_harness import FakeDaemon, RelayTest, connect_client
from wsclient import Closed, HandshakeError, WsClient


class Splice(RelayTest):
    def test_ten_thousand_frames_both_ways_through_a_real_daemon(self):
        relay = self.start_relay()
        daemon = self.start_daemon(relay.url())
        state = daemon.wait_linked()
        self.assertEqual(state["url"], relay.url())
        client = connect_client(relay, daemon.id)
        rng = random.Random(6)
        sent_bytes = 0
        window = 50
        sizes = (0, 1, 7, 125, 126, 127, 500, 1000, 1400, 4096)  # around the length-encoding boundaries
        for start in range(0, 10_000, window):
            batch = [rng.randbytes(rng.choice(sizes)) for _ in range(window)]
            if start % 500 == 0:
                batch[0] = rng.randbytes(rng.choice((65535, 65536, 300_000)))
            for f in batch:
                client.send_binary(f)
                sent_bytes += len(f)
            for f in batch:
                self.assertEqual(client.recv_binary(), f)
        m = relay.metrics()
        self.assertGreaterEqual(m['tether_relay_bytes_relayed_total{direction="client_to_daemon"}'], sent_bytes)
        self.assertGreaterEqual(m['tether_relay_bytes_relayed_total{direction="daemon_to_client"}'], sent_bytes)
        self.assertEqual(m['tether_relay_frames_relayed_total{direction="daemon_to_client"}'], 10_000)
        self.assertEqual(m["tether_relay_spliced_pairs"], 1)
        self.assertEqual(m["tether_relay_links"], 1)
        self.assertEqual(daemon.relay_state()["data_connections"], 1)
        client.close(1000, "done")
        self.assertEqual(client.wait_close()[0], 1000)
        # the daemon's end of the pair goes away too
        wait_for_zero = lambda: relay.metrics()["tether_relay_spliced_pairs"] == 0 and daemon.relay_state()["data_connections"] == 0
        deadline = time.monotonic() + 10
        while not wait_for_zero():
            self.assertLess(time.monotonic(), deadline, "the pair was not torn down")
            time.sleep(0.05)
        daemon.stop(self)
        relay.stop(self)

    def test_unknown_daemon_is_closed_with_4404(self):
        relay = self.start_relay()
        client = connect_client(relay, FakeDaemon(relay).id)
        self.assertEqual(client.wait_close(), (4404, "daemon not linked"))
        relay.wait_metric('tether_relay_closes_total{reason="daemon_not_linked"}', 1)
        relay.stop(self)

    def test_frames_pass_unchanged_and_a_close_on_one_side_closes_the_other(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        client.send_binary(b"sent before the daemon accepted")  # held by the relay until spliced
        time.sleep(0.3)
        server = fake.accept()
        self.assertEqual(server.recv_binary(), b"sent before the daemon accepted")
        payload = os.urandom(200_000)
        server.send_binary(payload)
        self.assertEqual(client.recv_binary(), payload)
        client.close(4000, "client bye")
        self.assertEqual(server.wait_close(), (4000, "client bye"))
        self.assertEqual(client.wait_close()[0], 4000)

        client = connect_client(relay, fake.id)
        server = fake.accept()
        server.close(1000, "daemon bye")
        self.assertEqual(client.wait_close(), (1000, "daemon bye"))

        # the daemon's socket vanishing without a close frame: the client gets 1001
        client = connect_client(relay, fake.id)
        server = fake.accept()
        server.shutdown()
        self.assertEqual(client.wait_close(), (1001, "peer went away"))
        relay.stop(self)

    def test_text_frames_are_refused_on_a_splice(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        server = fake.accept()
        client.send_text("hello")
        self.assertEqual(client.wait_close(), (1003, "binary frames only"))
        self.assertEqual(server.wait_close(), (1001, "peer went away"))
        relay.stop(self)

    def test_pending_accept_times_out_and_its_token_dies(self):
        relay = self.start_relay("--accept-timeout", "1")
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        token = fake.next_token()
        self.assertEqual(client.wait_close(), (4408, "daemon did not accept in time"))
        late = fake.accept(token)
        self.assertEqual(late.wait_close(), (4410, "unknown or expired accept token"))
        m = relay.wait_metric('tether_relay_closes_total{reason="accept_timeout"}', 1)
        self.assertEqual(m['tether_relay_limit_hits_total{limit="accept_timeout"}'], 1)
        relay.stop(self)

    def test_a_token_is_good_once(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        token = fake.next_token()
        first = fake.accept(token)
        second = fake.accept(token)
        self.assertEqual(second.wait_close(), (4410, "unknown or expired accept token"))
        client.send_binary(b"x")
        self.assertEqual(first.recv_binary(), b"x")
        relay.stop(self)

    def test_pending_connects_per_daemon_are_limited(self):
        relay = self.start_relay("--max-pending-per-daemon", "2")
        fake = FakeDaemon(relay)
        fake.link()
        waiting = [connect_client(relay, fake.id) for _ in range(2)]
        third = connect_client(relay, fake.id)
        self.assertEqual(third.wait_close(), (4429, "too many pending connections for this daemon"))
        self.assertEqual(relay.metrics()['tether_relay_limit_hits_total{limit="pending_per_daemon"}'], 1)
        # accepting one frees a slot
        fake.accept()
        fourth = connect_client(relay, fake.id)
        fake.next_token()
        fake.next_token()  # the accepts for waiting[1] and fourth
        self.assertEqual(relay.metrics()["tether_relay_pending_connects"], 2)
        for w in waiting + [fourth]:
            w.shutdown()
        relay.stop(self)

    def test_token_bucket_throttles_each_spliced_socket(self):
        relay = self.start_relay("--rate", "64KiB", "--burst", "64KiB")
        fake = FakeDaemon(relay)
        fake.link()
        client = connect_client(relay, fake.id)
        server = fake.accept()
        chunk = os.urandom(32 * 1024)
        started = time.monotonic()
        for _ in range(10):  # 320 KiB: 64 KiB of burst, then 256 KiB at 64 KiB/s
            client.send_binary(chunk)
        for _ in range(10):
            self.assertEqual(server.recv_binary(), chunk)
        elapsed = time.monotonic() - started
        # A lower bound only: the throttle must have held the reader back for most of 4 s.
        self.assertGreater(elapsed, 2.5)
        self.assertGreater(relay.metrics()['tether_relay_limit_hits_total{limit="rate"}'], 0)
        relay.stop(self)

    def test_websocket_endpoints_refuse_plain_requests_and_bad_paths(self):
        relay = self.start_relay()
        status, headers, _ = relay.http("GET", "/v1/daemon")
        self.assertEqual(status, 426)
        self.assertEqual(headers["upgrade"], "websocket")
        with self.assertRaises(HandshakeError) as e:
            WsClient(relay.port, "/v1/connect/not-a-key")
        self.assertEqual(e.exception.status, 404)
        relay.stop(self)


if __name__ == "__main__":
    unittest.main()
