"""tether relay: daemon links are bounded per source address and in total, apart from the
connection caps (any fresh Ed25519 key authenticates, so a link proves nothing about
who opened it); a link of a key already linked takes that link's place."""
import json
import os
import subprocess
import unittest

from harness import TETHER
from relay_harness import FakeDaemon, RelayTest, connect_client
from wsclient import Closed, HandshakeError

OTHER = "127.0.0.2"  # another source address on loopback
THIRD = "127.0.0.3"
ADDRESS_FULL = (4429, "too many links from your address")
RELAY_FULL = (1013, "relay full: too many links")
REPLACED = (4409, "replaced by a newer link for this daemon")


def try_link(fake):
    """Opens a link and answers the challenge: "linked" (fake.ws is the link), the close
    (code, reason) the relay answered the hello with, or ("http", status) when the relay
    refused the socket itself."""
    try:
        ws, nonce = fake.open()
    except HandshakeError as e:
        return ("http", e.status)
    ws.send_text(fake.hello(nonce))
    try:
        reply = json.loads(ws.recv_text())
    except Closed as c:
        ws.shutdown()
        return (c.code, c.reason)
    if reply != {"type": "linked"}:
        raise AssertionError(f"unexpected answer to a hello: {reply}")
    fake.ws = ws
    return "linked"


class LinkLimits(RelayTest):
    def assert_link_serves(self, fake):
        client = connect_client(self.relay, fake.id, source=fake.source)
        server = fake.accept()
        client.send_binary(b"through")
        self.assertEqual(server.recv_binary(), b"through")
        client.close()
        server.wait_close()

    def test_one_address_cannot_fill_the_relay_with_links(self):
        # 150 fresh keys from one address against a relay small enough that their links,
        # which leave the per-address connection count once authenticated, would fill it
        # (every link is still a connection in the total). The link bounds are the defaults.
        self.relay = relay = self.start_relay("--max-connections", "40")
        fakes = [FakeDaemon(relay) for _ in range(150)]
        outcomes = [try_link(f) for f in fakes]
        linked = [f for f, o in zip(fakes, outcomes) if o == "linked"]
        self.assertEqual(outcomes[:16], ["linked"] * 16)  # --max-links-per-ip 16
        self.assertEqual(set(outcomes[16:]), {ADDRESS_FULL})

        # the relay still answers everyone, that address included, and links others
        self.assertEqual(relay.http("GET", "/healthz")[0], 200)
        self.assertEqual(relay.http("GET", "/healthz", source=OTHER)[0], 200)
        other = FakeDaemon(relay, source=OTHER)
        self.assertEqual(try_link(other), "linked")
        self.assert_link_serves(other)
        self.assert_link_serves(linked[0])  # the links kept are whole

        m = relay.wait_metric('tether_relay_closes_total{reason="links_per_ip"}', 134)
        self.assertEqual(m["tether_relay_links"], 17)
        self.assertEqual(m['tether_relay_limit_hits_total{limit="links_per_ip"}'], 134)
        # a link that ends frees its place: another key from that address gets in
        linked[0].ws.close()
        linked[0].ws.wait_close()
        relay.wait_metric("tether_relay_links", 16)
        self.assertEqual(try_link(FakeDaemon(relay)), "linked")
        relay.stop(self)

    def test_links_are_bounded_in_total(self):
        self.relay = relay = self.start_relay("--max-links", "3", "--max-links-per-ip", "2")
        first = [FakeDaemon(relay), FakeDaemon(relay), FakeDaemon(relay, source=OTHER)]
        self.assertEqual([try_link(f) for f in first], ["linked"] * 3)
        late = FakeDaemon(relay, source=THIRD)
        self.assertEqual(try_link(late), RELAY_FULL)
        self.assertEqual(relay.http("GET", "/healthz", source=THIRD)[0], 200)
        m = relay.wait_metric('tether_relay_closes_total{reason="links_total"}', 1)
        self.assertEqual(m['tether_relay_limit_hits_total{limit="links_total"}'], 1)
        self.assertEqual(m["tether_relay_links"], 3)
        for f in first:
            self.assert_link_serves(f)
        # a link that ends frees its place in the total
        first[2].ws.close()
        first[2].ws.wait_close()
        relay.wait_metric("tether_relay_links", 2)
        self.assertEqual(try_link(late), "linked")
        self.assert_link_serves(late)
        relay.stop(self)

    def test_links_never_take_more_than_half_the_connections(self):
        self.relay = relay = self.start_relay("--max-connections", "4", "--max-links", "100")
        kept = [FakeDaemon(relay), FakeDaemon(relay, source=OTHER)]
        self.assertEqual([try_link(f) for f in kept], ["linked"] * 2)
        self.assertEqual(try_link(FakeDaemon(relay, source=THIRD)), RELAY_FULL)
        self.assertEqual(relay.http("GET", "/healthz", source=THIRD)[0], 200)
        self.assertIn("--max-links 100 is above half of --max-connections 4; using 2", open(relay.log_path).read())
        relay.stop(self)

    def test_a_link_of_a_linked_key_replaces_it_and_is_not_counted_twice(self):
        # one link per address and one in all: only replacing can ever succeed
        self.relay = relay = self.start_relay("--max-links", "1", "--max-links-per-ip", "1")
        seed = os.urandom(32)
        old = FakeDaemon(relay, seed)
        self.assertEqual(try_link(old), "linked")
        again = FakeDaemon(relay, seed)
        self.assertEqual(try_link(again), "linked")  # the same address: takes its place
        self.assertEqual(old.ws.wait_close(), REPLACED)
        moved = FakeDaemon(relay, seed, source=OTHER)
        self.assertEqual(try_link(moved), "linked")  # another address: the link moves there
        self.assertEqual(again.ws.wait_close(), REPLACED)
        self.assert_link_serves(moved)
        m = relay.wait_metric('tether_relay_closes_total{reason="link_replaced"}', 2)
        self.assertEqual(m["tether_relay_links"], 1)
        self.assertEqual(m.get('tether_relay_limit_hits_total{limit="links_total"}', 0), 0)
        # the relay holds one link: another key is refused
        self.assertEqual(try_link(FakeDaemon(relay, source=THIRD)), RELAY_FULL)
        relay.stop(self)

    def test_a_refused_link_leaves_the_keys_link_in_place(self):
        self.relay = relay = self.start_relay("--max-links-per-ip", "1")
        seed = os.urandom(32)
        kept = FakeDaemon(relay, seed, source=OTHER)
        self.assertEqual(try_link(kept), "linked")
        filler = FakeDaemon(relay)
        self.assertEqual(try_link(filler), "linked")  # 127.0.0.1 is now full
        # the same key from the full address is refused there, and its link on OTHER stays
        self.assertEqual(try_link(FakeDaemon(relay, seed)), ADDRESS_FULL)
        self.assert_link_serves(kept)
        self.assert_link_serves(filler)
        self.assertEqual(relay.metrics()["tether_relay_links"], 2)
        relay.stop(self)

    def test_flags_are_listed_with_their_defaults(self):
        out = subprocess.run([TETHER, "relay", "--help"], capture_output=True, text=True, timeout=30).stdout
        self.assertRegex(out, r"--max-links-per-ip [^\n]*=16\n")
        self.assertRegex(out, r"--max-links [^\n]*=2500\n")


if __name__ == "__main__":
    unittest.main()
