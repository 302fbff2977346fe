"""What the fake model servers share: a threaded HTTP server on 127.0.0.1 that records
every request body and every handler exception, start/stop/context manager, and a
`--port-file` main for running one as a process. Each fake sets `handler` (its
BaseHTTPRequestHandler, which reaches the fake as `self.fake`)."""
import argparse
import os
import signal
import threading
import traceback
from http.server import ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake = None

    def handle_error(self, request, client_address):
        self.fake._record_error(traceback.format_exc())


class FakeServer:
    handler = None  # set by each fake
    url_path = ""   # appended to http://127.0.0.1:PORT in `url`

    def __init__(self, script=None, port=0):
        self.script = script
        self._port = port
        self._requests = []
        self._errors = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}{self.url_path}"

    @property
    def requests(self):
        with self._lock:
            return list(self._requests)

    @property
    def errors(self):
        with self._lock:
            return list(self._errors)

    def _record(self, request):
        with self._lock:
            self._requests.append(request)

    def _record_error(self, text):
        with self._lock:
            self._errors.append(text)

    def start(self):
        handler = type("Handler", (self.handler,), {"fake": self})
        self._server = _Server(("127.0.0.1", self._port), handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.1,), daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def serve_main(fake_class, description, argv=None):
    """Runs `fake_class` until SIGTERM, writing its port to --port-file once listening."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port-file", required=True, help="where to write the port once listening")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with fake_class(port=args.port) as fake:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(fake.port))
        os.replace(tmp, args.port_file)
        done.wait()
    return 0
