"""A fake OpenAI chat-completions API on 127.0.0.1 for running the real OpenCode CLI
(`opencode serve`) offline, as a custom "@ai-sdk/openai-compatible" provider.

It answers POST /v1/chat/completions with the streamed chunks OpenCode accepts (docs: the
shared opencode.md, section 4) and picks each answer from the request:

  a request without tools (OpenCode's title generator)  -> text "Fake title"
  the last message is a tool result                      -> text "tool said: <its content>"
  [bash:COMMAND]          a bash tool call {"command": COMMAND, "description": "run"}
  [slow]                  40 text deltas "slow " 0.25 s apart
  [text:WORDS]            text WORDS; no directive: "plain answer (N messages seen)"

Directives are read from the last user message, one per line, each running to the line's
last "]". A test can override any answer with FakeOpenAIChat(script=fn): fn(request_body)
returns a turn (see the *_turn helpers) or None.

Stdlib only. As a script: python3 fake_openai_chat.py --port-file PATH (serves until SIGTERM).
"""
import json
import re
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler

from fake_server import FakeServer, serve_main


def text_turn(text):
    return {"text": text}


def tool_turn(name, arguments):
    return {"tool_call": {"name": name, "arguments": arguments}}


def slow_turn(chunks=40, chunk="slow ", delay=0.25):
    return {"chunks": [chunk] * chunks, "delay": delay}


def error_turn(status, message=None):
    return {"status": status, "message": message or f"fake error {status}"}


def message_text(message):
    """The text of a chat message (content: a string or a list of parts)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def tool_results(request):
    """Every tool message in a request, oldest first."""
    return [m for m in request.get("messages", []) if isinstance(m, dict) and m.get("role") == "tool"]


def default_turn(body):
    messages = [m for m in body.get("messages", []) if isinstance(m, dict)]
    if not body.get("tools"):
        return text_turn("Fake title")
    if messages and messages[-1].get("role") == "tool":
        return text_turn("tool said: " + message_text(messages[-1]))
    users = [m for m in messages if m.get("role") == "user"]
    prompt = message_text(users[-1]) if users else ""
    for line in prompt.splitlines():
        if m := re.search(r"\[bash:(.*)\]", line):
            return tool_turn("bash", {"command": m[1], "description": "run"})
        if "[slow]" in line:
            return slow_turn()
        if m := re.search(r"\[text:(.*)\]", line):
            return text_turn(m[1])
    return text_turn(f"plain answer ({len(messages)} messages seen)")


def _chunks(turn, model):
    """The data of each streamed chunk ("sleep" entries are pauses), then the usage chunk."""
    base = {"id": "chatcmpl-" + uuid.uuid4().hex[:16], "object": "chat.completion.chunk",
            "created": int(time.time()), "model": model}

    def chunk(delta, finish=None, **extra):
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}

    usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    call = turn.get("tool_call")
    if call:
        encoded = json.dumps(call["arguments"])
        yield chunk({"role": "assistant", "tool_calls": [{"index": 0, "id": "call_" + uuid.uuid4().hex[:12],
                                                          "type": "function",
                                                          "function": {"name": call["name"], "arguments": ""}}]})
        for part in (encoded[: len(encoded) // 2], encoded[len(encoded) // 2:]):
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": part}}]})
        yield chunk({}, "tool_calls", usage=usage)
        return
    pieces = turn.get("chunks") or [turn.get("text", "")]
    yield chunk({"role": "assistant", "content": ""})
    for i, piece in enumerate(pieces):
        if i and turn.get("delay"):
            yield ("sleep", turn["delay"])
        yield chunk({"content": piece})
    yield chunk({}, "stop", usage=usage)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None  # the FakeOpenAIChat, set on a subclass per server

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.split("?")[0] == "/v1/models":
            payload = {"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "fake"}]}
            return self._reply(200, json.dumps(payload).encode())
        return self._reply(404, b'{"error":{"message":"no such path","type":"invalid_request_error"}}')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0] != "/v1/chat/completions":
            return self._reply(404, b'{"error":{"message":"no such path","type":"invalid_request_error"}}')
        try:
            request = json.loads(body)
        except ValueError:
            return self._reply(400, b'{"error":{"message":"bad JSON","type":"invalid_request_error"}}')
        self.fake._record(request)
        turn = (self.fake.script and self.fake.script(request)) or default_turn(request)
        if "status" in turn:
            error = {"error": {"message": turn["message"], "type": "invalid_request_error"}}
            return self._reply(turn["status"], json.dumps(error).encode())
        self.send_response(200)
        self._common_headers("text/event-stream")
        self.end_headers()
        try:
            for data in _chunks(turn, request.get("model", "fake-model")):
                if isinstance(data, tuple):
                    if self.fake._stopping.wait(data[1]):
                        return
                    continue
                self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.fake._record_disconnect()  # the client went away (an abort): end quietly

    def _common_headers(self, content_type):
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        self.close_connection = True

    def _reply(self, status, payload, content_type="application/json"):
        self.send_response(status)
        self._common_headers(content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeOpenAIChat(FakeServer):
    """The server; `url` (http://127.0.0.1:PORT/v1, what a provider's baseURL takes) once
    started; `requests` holds every POST /v1/chat/completions body, `errors` every exception a
    handler raised, `disconnects` how many streamed answers the client cut short."""

    handler = _Handler
    url_path = "/v1"

    def __init__(self, script=None, port=0):
        super().__init__(script, port)
        self._disconnects = 0

    @property
    def disconnects(self):
        with self._lock:
            return self._disconnects

    def _record_disconnect(self):
        with self._lock:
            self._disconnects += 1


def main(argv=None):
    return serve_main(FakeOpenAIChat, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
