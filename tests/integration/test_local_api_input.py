"""Every kind of bad input on the local socket gets a JSON-RPC error (or a close,
for an oversized line), and the daemon goes on answering."""
import os
import socket
import subprocess
import sys
import threading
import unittest

from harness import LineSocket, TempHomeTest


class LocalApiInput(TempHomeTest):
    def setUp(self):
        super().setUp()
        self.d = self.start_daemon()

    def tearDown(self):
        self.d.stop()
        self.d.assert_clean_exit(self)
        super().tearDown()

    def assert_alive(self):
        c = LineSocket(self.d.socket_path)
        reply = c.call("daemon.info", id=99)
        self.assertEqual(reply["id"], 99)
        self.assertIn("daemon_id", reply["result"])
        c.close()

    def error_for(self, raw: bytes, conn=None):
        c = conn or LineSocket(self.d.socket_path)
        c.send_raw(raw)
        reply = c.read_json()
        self.assertEqual(reply["jsonrpc"], "2.0")
        self.assertIn("error", reply, reply)
        return reply["error"], c

    def test_bad_requests_get_errors_and_the_connection_lives_on(self):
        cases = [
            (b"this is not json\n", -32700),
            (b"{\"jsonrpc\":\"2.0\",\n", -32700),
            (b"42\n", -32600),
            (b"\"a string\"\n", -32600),
            (b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\"}]\n", -32600),
            (b"[]\n", -32600),
            (b"{\"id\":1,\"method\":\"daemon.info\"}\n", -32600),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1}\n", -32600),
            (b"{\"jsonrpc\":\"2.0\",\"method\":\"daemon.info\"}\n", -32600),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"no.such.method\"}\n", -32601),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\",\"params\":[1]}\n", -32602),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\",\"params\":\"x\"}\n", -32602),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\",\"params\":{\"x\":1}}\n", -32602),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.\xff\xfe\"}\n", -32700),
            (b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xc3\x28\"}\n", -32700),
            (b"\x00\x01\x02\x03\n", -32700),
            (b"[" * 5000 + b"\n", -32700),
        ]
        conn = LineSocket(self.d.socket_path)
        for raw, code in cases:
            err, _ = self.error_for(raw, conn)
            self.assertEqual(err["code"], code, raw[:60])
            self.assertTrue(err["message"], raw[:60])
        # the same connection still works after all of that
        self.assertIn("result", conn.call("daemon.info"))
        self.assert_alive()

    def test_unknown_method_message_names_it(self):
        err, _ = self.error_for(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sesion.list\"}\n")
        self.assertIn("sesion.list", err["message"])

    def test_oversized_line_gets_an_error_then_a_close(self):
        c = LineSocket(self.d.socket_path)
        big = b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.info\",\"params\":{\"x\":\"" + b"a" * (1024 * 1024 + 10)
        try:
            c.send_raw(big + b"\"}}\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the daemon may close before we finish writing
        err = c.read_json()["error"]
        self.assertEqual(err["code"], -32600)
        self.assertIn("1 MiB", err["message"])
        self.assertTrue(c.is_closed())
        self.assert_alive()

    def test_a_line_just_under_the_limit_is_read(self):
        c = LineSocket(self.d.socket_path)
        pad = 1024 * 1024 - 200
        line = b"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"daemon.info\",\"params\":{\"x\":\"" + b"a" * pad + b"\"}}\n"
        self.assertLess(len(line), 1024 * 1024)
        c.send_raw(line)
        reply = c.read_json()
        self.assertEqual(reply["id"], 5)
        self.assertEqual(reply["error"]["code"], -32602)  # read whole, refused for its unknown param

    def test_client_that_disconnects_mid_line(self):
        for _ in range(20):
            s = socket.socket(socket.AF_UNIX)
            s.connect(self.d.socket_path)
            s.sendall(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"meth")
            s.close()
        s = socket.socket(socket.AF_UNIX)
        s.connect(self.d.socket_path)
        s.sendall(b"x" * 100000)
        s.shutdown(socket.SHUT_WR)
        s.close()
        self.assert_alive()

    def test_two_hundred_connections_at_once(self):
        conns = [LineSocket(self.d.socket_path) for _ in range(200)]
        for i, c in enumerate(conns):
            c.send_raw(b"{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"daemon.info\"}\n" % i)
        for i, c in enumerate(conns):
            self.assertEqual(c.read_json()["id"], i)
        info = conns[0].call("daemon.info")
        self.assertGreaterEqual(info["result"]["counts"]["local_connections"], 200)
        for c in conns:
            c.close()
        self.assert_alive()

    def test_many_pipelined_requests_on_one_connection(self):
        c = LineSocket(self.d.socket_path)
        c.send_raw(b"".join(b"{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"daemon.info\"}\n" % i for i in range(500)))
        for i in range(500):
            self.assertEqual(c.read_json()["id"], i)

    def test_random_garbage_does_not_kill_the_daemon(self):
        import random
        rng = random.Random(4)
        for _ in range(30):
            s = socket.socket(socket.AF_UNIX)
            s.connect(self.d.socket_path)
            s.sendall(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))) + b"\n")
            s.close()
        self.assert_alive()


if __name__ == "__main__":
    unittest.main()
