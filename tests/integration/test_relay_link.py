"""tether relay: the daemon link proves its id with a signature over a fresh challenge."""
import json
import os
import unittest

import ed25519_ref
from relay_harness import LINK_CONTEXT, FakeDaemon, RelayTest, b64url, connect_client


class Link(RelayTest):
    def test_a_valid_hello_links(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        fake.link()
        m = relay.metrics()
        self.assertEqual(m["tether_relay_links"], 1)
        self.assertEqual(m["tether_relay_links_total"], 1)
        relay.stop(self)

    def test_bad_signature_other_challenge_and_replayed_answer_are_refused(self):
        relay = self.start_relay()
        fake = FakeDaemon(relay)
        refused = (4401,)

        # 1. a signature that is not valid at all
        ws, nonce = fake.open()
        sig = bytearray(ed25519_ref.sign(fake.seed, LINK_CONTEXT + nonce))
        sig[5] ^= 0x40
        ws.send_text(json.dumps({"type": "hello", "daemon_id": fake.id, "signature": b64url(bytes(sig))}))
        code, reason = ws.wait_close()
        self.assertIn(code, refused)
        self.assertIn("authentication failed", reason)

        # 2. a valid signature, but over another challenge
        ws, nonce = fake.open()
        ws.send_text(fake.hello(os.urandom(32)))
        self.assertIn(ws.wait_close()[0], refused)

        # 3. a replayed answer: a hello that linked once, sent again on a new connection
        first, nonce = fake.open()
        answer = fake.hello(nonce)
        first.send_text(answer)
        self.assertEqual(json.loads(first.recv_text()), {"type": "linked"})
        replay, _ = fake.open()
        replay.send_text(answer)
        self.assertIn(replay.wait_close()[0], refused)

        # 4. someone else's key claiming this id
        other = FakeDaemon(relay)
        ws, nonce = fake.open()
        forged = json.loads(other.hello(nonce))
        forged["daemon_id"] = fake.id
        ws.send_text(json.dumps(forged))
        self.assertIn(ws.wait_close()[0], refused)

        relay.wait_metric('tether_relay_closes_total{reason="auth_failed"}', 4)
        # the genuine link survived all of that
        client = connect_client(relay, fake.id)
        self.assertEqual(json.loads(first.recv_text())["type"], "accept")
        client.shutdown()
        relay.stop(self)

    def test_malformed_hellos_and_a_missing_hello(self):
        relay = self.start_relay("--header-timeout", "1")
        fake = FakeDaemon(relay)
        for bad in ("not json", '{"type":"hello"}', '{"type":"linked"}',
                    json.dumps({"type": "hello", "daemon_id": "short", "signature": "x", "more": 1})):
            ws, _ = fake.open()
            ws.send_text(bad)
            self.assertEqual(ws.wait_close()[0], 4400, bad)
        ws, _ = fake.open()
        ws.send_binary(b"\x00")
        self.assertEqual(ws.wait_close()[0], 4400)
        ws, _ = fake.open()
        ws.send_text(json.dumps({"type": "hello", "daemon_id": "A" * 43, "signature": "B" * 86}))
        self.assertEqual(ws.wait_close()[0], 4401)
        ws, _ = fake.open()  # says nothing
        self.assertEqual(ws.wait_close(), (4408, "no hello in time"))
        relay.stop(self)

    def test_a_second_link_for_the_same_id_replaces_the_first(self):
        relay = self.start_relay()
        seed = os.urandom(32)
        old = FakeDaemon(relay, seed)
        old.link()
        new = FakeDaemon(relay, seed)
        new.link()
        self.assertEqual(old.ws.wait_close(), (4409, "replaced by a newer link for this daemon"))
        client = connect_client(relay, new.id)
        server = new.accept()  # the accept came over the new link
        client.send_binary(b"ping")
        self.assertEqual(server.recv_binary(), b"ping")
        m = relay.metrics()
        self.assertEqual(m["tether_relay_links"], 1)
        self.assertEqual(m['tether_relay_closes_total{reason="link_replaced"}'], 1)
        relay.stop(self)

    def test_a_real_daemon_restarting_replaces_its_own_link(self):
        relay = self.start_relay()
        d1 = self.start_daemon(relay.url())
        d1.wait_linked()
        home = d1.home
        d1.kill()  # no clean close: the relay only learns of it from the new link or TCP
        d2 = self.start_daemon(relay.url(), home=home)
        d2.wait_linked()
        self.assertEqual(d2.id, d1.id)
        client = connect_client(relay, d2.id)
        client.send_binary(b"hi")
        self.assertEqual(client.recv_binary(), b"hi")
        d2.stop(self)
        relay.stop(self)


if __name__ == "__main__":
    unittest.main()
