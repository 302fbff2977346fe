"""A fake Anthropic Messages API on 127.0.0.1 for running the real Claude Code CLI offline.

It streams the SSE sequence the CLI accepts (docs: the shared claude-code.md, section 4) and
picks each answer from the request, by default from directives in the prompt:

  the last user message holds a tool_result -> text "done", or "saw denial: <text>" if is_error
  [bash:COMMAND]          a Bash tool_use {"command": COMMAND, "description": "run"}
  [write:PATH:CONTENT]    a Write tool_use {"file_path": PATH, "content": CONTENT}
  [tool:NAME:JSON]        a tool_use of NAME with input JSON
  [slow]                  40 text deltas "slow " 0.25 s apart
  [stream:N]              N text deltas "wI " (I = 1..N) with no pause between them
  [http:NNN]              HTTP status NNN with an error body
  [text:WORDS]            text WORDS; no directive: "plain answer (N messages seen)"

Directives are read from the last user message that has text (the prompt that started the
turn), one per line, each running to the line's last "]". A test can override any answer
with FakeAnthropic(script=fn): fn(request_body) returns a turn (see the *_turn helpers) or None.

Stdlib only. As a script: python3 fake_anthropic.py --port-file PATH (serves until SIGTERM).
"""
import json
import re
import sys
import uuid
from http.server import BaseHTTPRequestHandler

from fake_server import FakeServer, serve_main


def text_turn(text):
    return {"text": text}


def tool_turn(name, tool_input, text=None):
    return {"text": text or f"I'll use {name}.", "tool_use": {"name": name, "input": tool_input}}


def slow_turn(chunks=40, chunk="slow ", delay=0.25):
    return {"chunks": [chunk] * chunks, "delay": delay}


def error_turn(status, message=None):
    return {"status": status, "message": message or f"fake error {status}"}


def _texts(content):
    """The text of a message's content (a string or a list of blocks)."""
    if isinstance(content, str):
        return [content]
    return [b.get("text", "") for b in content or [] if isinstance(b, dict) and b.get("type") == "text"]


def _tool_results(content):
    return [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"] if isinstance(content, list) else []


def default_turn(body):
    messages = [m for m in body.get("messages", []) if isinstance(m, dict)]
    users = [m for m in messages if m.get("role") == "user"]
    results = _tool_results(users[-1].get("content")) if users else []
    if results:
        result = results[-1]
        if not result.get("is_error"):
            return text_turn("done")
        content = result.get("content")
        return text_turn("saw denial: " + (content if isinstance(content, str) else "\n".join(_texts(content))))
    prompt = next(("\n".join(_texts(m.get("content"))) for m in reversed(users) if _texts(m.get("content"))), "")
    for line in prompt.splitlines():
        if m := re.search(r"\[bash:(.*)\]", line):
            return tool_turn("Bash", {"command": m[1], "description": "run"})
        if m := re.search(r"\[write:([^:\]]*):(.*)\]", line):
            return tool_turn("Write", {"file_path": m[1], "content": m[2]})
        if m := re.search(r"\[tool:([^:\]]+):(.*)\]", line):
            return tool_turn(m[1], json.loads(m[2]))
        if "[slow]" in line:
            return slow_turn()
        if m := re.search(r"\[stream:(\d+)\]", line):
            return {"chunks": [f"w{i} " for i in range(1, int(m[1]) + 1)]}
        if m := re.search(r"\[http:(\d{3})\]", line):
            return error_turn(int(m[1]))
        if m := re.search(r"\[text:(.*)\]", line):
            return text_turn(m[1])
    return text_turn(f"plain answer ({len(messages)} messages seen)")


def _sse_events(turn, model):
    """(event name, data) pairs of one streamed message, as the real API sends them."""
    usage = {"input_tokens": 10, "output_tokens": 1, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    yield "message_start", {"type": "message_start", "message": {
        "id": "msg_" + uuid.uuid4().hex[:24], "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": usage}}
    chunks = turn.get("chunks") or [turn.get("text", "")]
    yield "content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}
    yield "ping", {"type": "ping"}
    for i, chunk in enumerate(chunks):
        if i and turn.get("delay"):
            yield "sleep", turn["delay"]
        yield "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": chunk}}
    yield "content_block_stop", {"type": "content_block_stop", "index": 0}
    tool = turn.get("tool_use")
    if tool:
        yield "content_block_start", {"type": "content_block_start", "index": 1, "content_block": {
            "type": "tool_use", "id": "toolu_" + uuid.uuid4().hex[:24], "name": tool["name"], "input": {}}}
        encoded = json.dumps(tool["input"])
        for part in (encoded[: len(encoded) // 2], encoded[len(encoded) // 2:]):
            yield "content_block_delta", {"type": "content_block_delta", "index": 1,
                                          "delta": {"type": "input_json_delta", "partial_json": part}}
        yield "content_block_stop", {"type": "content_block_stop", "index": 1}
    yield "message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use" if tool else "end_turn",
                                                               "stop_sequence": None}, "usage": {"output_tokens": 5}}
    yield "message_stop", {"type": "message_stop"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None  # the FakeAnthropic, set on a subclass per server

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self._reply(200, b"", "text/plain")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0] != "/v1/messages":
            return self._reply(404, b'{"type":"error","error":{"type":"not_found_error","message":"no such path"}}')
        try:
            request = json.loads(body)
        except ValueError:
            return self._reply(400, b'{"type":"error","error":{"type":"invalid_request_error","message":"bad JSON"}}')
        self.fake._record(request)
        turn = (self.fake.script and self.fake.script(request)) or default_turn(request)
        if "status" in turn:
            error = {"type": "error", "error": {"type": "api_error", "message": turn["message"]}}
            return self._reply(turn["status"], json.dumps(error).encode())
        self.send_response(200)
        self._common_headers("text/event-stream")
        self.end_headers()
        try:
            for name, data in _sse_events(turn, request.get("model", "m")):
                if name == "sleep":
                    if self.fake._stopping.wait(data):
                        return
                    continue
                self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (an interrupt, or it was killed): end quietly

    def _common_headers(self, content_type):
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        self.send_header("request-id", "req_fake_" + uuid.uuid4().hex[:12])
        self.close_connection = True

    def _reply(self, status, payload, content_type="application/json"):
        self.send_response(status)
        self._common_headers(content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class FakeAnthropic(FakeServer):
    """The server; `url` once started; `requests` holds every POST /v1/messages body and
    `errors` every exception a handler raised (a test can assert there were none)."""

    handler = _Handler
    url_path = ""


def main(argv=None):
    return serve_main(FakeAnthropic, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
