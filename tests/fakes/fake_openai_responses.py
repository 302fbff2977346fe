"""A fake OpenAI Responses API on 127.0.0.1 for running the real Codex CLI (`codex app-server`) offline.

Codex only ever POSTs <base_url>/responses (base_url = `url` + "/v1") and reads an SSE stream
(the shared codex.md, section 10). Each answer is picked from the request, by default:

  the last input item is a tool output  -> text "done. saw output: <output>"
  [bash:COMMAND]          an exec_command call of COMMAND that asks to run outside the sandbox
                          ("sandbox_permissions": "require_escalated"), so Codex asks for approval
                          under approval_policy "on-request"
  [sandboxed:COMMAND]     an exec_command call {"cmd": COMMAND}: under "on-request" Codex runs it
                          in its sandbox without asking
  [patch:PATH:LINE]       an exec_command call running `apply_patch` to add PATH holding LINE
                          (Codex turns it into a fileChange item and asks about it)
  [reason:TEXT]           a reasoning item whose summary is TEXT, then text "reasoned"
  [slow]                  40 text deltas "slow " 0.25 s apart
  [http:NNN]              HTTP status NNN with an error body
  [text:WORDS]            text WORDS; no directive: "plain answer (N input items)"

Directives are read from the last user message of the input (the prompt that started the
turn), one per line, each running to the line's last "]". A test can override any answer
with FakeResponses(script=fn): fn(request_body) returns a turn (see the *_turn helpers) or None.

Stdlib only. As a script: python3 fake_openai_responses.py --port-file PATH (serves until SIGTERM).
"""
import json
import re
import sys
import uuid
from http.server import BaseHTTPRequestHandler

from fake_server import FakeServer, serve_main


def text_turn(text):
    return {"text": text}


def command_turn(cmd, text=None, escalate=False):
    arguments = {"cmd": cmd}
    if escalate:
        arguments.update(sandbox_permissions="require_escalated", justification="the test runs this outside the sandbox")
    return {"text": text or "I'll run a command.", "call": {"name": "exec_command", "arguments": arguments}}


def patch_turn(path, line):
    patch = f"apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: {path}\n+{line}\n*** End Patch\nEOF\n"
    return command_turn(patch, text="I'll write a file.")


def reasoning_turn(summary, text="reasoned"):
    return {"reasoning": summary, "text": text}


def slow_turn(chunks=40, chunk="slow ", delay=0.25):
    return {"chunks": [chunk] * chunks, "delay": delay}


def error_turn(status, message=None):
    return {"status": status, "message": message or f"fake error {status}"}


def input_items(body):
    return [i for i in body.get("input", []) if isinstance(i, dict)]


def message_texts(item):
    """The text parts of one input message (input_text / output_text blocks, or a plain string)."""
    content = item.get("content")
    if isinstance(content, str):
        return [content]
    return [c.get("text", "") for c in content or [] if isinstance(c, dict) and isinstance(c.get("text"), str)]


def user_texts(body):
    """Every user message's text in input order, without Codex's own context messages."""
    out = []
    for item in input_items(body):
        if item.get("type") == "message" and item.get("role") == "user":
            text = "\n".join(message_texts(item))
            if not text.lstrip().startswith("<"):  # <environment_context>, <turn_aborted>, ...
                out.append(text)
    return out


def tool_outputs(body):
    """The output strings of every function_call_output / custom_tool_call_output item."""
    return [str(i.get("output")) for i in input_items(body) if i.get("type") in ("function_call_output", "custom_tool_call_output")]


def default_turn(body):
    items = input_items(body)
    if items and items[-1].get("type") in ("function_call_output", "custom_tool_call_output"):
        return text_turn("done. saw output: " + str(items[-1].get("output")))
    prompts = user_texts(body)
    prompt = prompts[-1] if prompts else ""
    for line in prompt.splitlines():
        if m := re.search(r"\[bash:(.*)\]", line):
            return command_turn(m[1], escalate=True)
        if m := re.search(r"\[sandboxed:(.*)\]", line):
            return command_turn(m[1])
        if m := re.search(r"\[patch:([^:\]]*):(.*)\]", line):
            return patch_turn(m[1], m[2])
        if m := re.search(r"\[reason:(.*)\]", line):
            return reasoning_turn(m[1])
        if "[slow]" in line:
            return slow_turn()
        if m := re.search(r"\[http:(\d{3})\]", line):
            return error_turn(int(m[1]))
        if m := re.search(r"\[text:(.*)\]", line):
            return text_turn(m[1])
    return text_turn(f"plain answer ({len(items)} input items)")


def _sse_events(turn):
    """(event name, data) pairs of one streamed response, in the shape Codex accepts."""
    response_id = "resp_" + uuid.uuid4().hex[:12]
    yield "response.created", {"type": "response.created", "response": {"id": response_id, "status": "in_progress"}}
    index = 0
    if turn.get("reasoning"):
        item = {"type": "reasoning", "id": "rs_" + uuid.uuid4().hex[:8],
                "summary": [{"type": "summary_text", "text": turn["reasoning"]}], "encrypted_content": None}
        yield "response.output_item.done", {"type": "response.output_item.done", "output_index": index, "item": item}
        index += 1
    chunks = turn.get("chunks") or [turn.get("text", "")]
    message_id = "msg_" + uuid.uuid4().hex[:8]
    yield "response.output_item.added", {"type": "response.output_item.added", "output_index": index, "item": {
        "type": "message", "id": message_id, "role": "assistant", "status": "in_progress", "content": []}}
    yield "response.content_part.added", {"type": "response.content_part.added", "item_id": message_id,
                                          "output_index": index, "content_index": 0,
                                          "part": {"type": "output_text", "text": "", "annotations": []}}
    for i, chunk in enumerate(chunks):
        if i and turn.get("delay"):
            yield "sleep", turn["delay"]
        yield "response.output_text.delta", {"type": "response.output_text.delta", "item_id": message_id,
                                             "output_index": index, "content_index": 0, "delta": chunk}
    text = "".join(chunks)
    yield "response.output_text.done", {"type": "response.output_text.done", "item_id": message_id,
                                        "output_index": index, "content_index": 0, "text": text}
    yield "response.output_item.done", {"type": "response.output_item.done", "output_index": index, "item": {
        "type": "message", "id": message_id, "role": "assistant", "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}]}}
    index += 1
    call = turn.get("call")
    if call:
        arguments = json.dumps(call["arguments"])
        item = {"type": "function_call", "id": "fc_" + uuid.uuid4().hex[:8], "call_id": "call_" + uuid.uuid4().hex[:8],
                "name": call["name"], "arguments": "", "status": "in_progress"}
        yield "response.output_item.added", {"type": "response.output_item.added", "output_index": index, "item": item}
        yield "response.function_call_arguments.delta", {"type": "response.function_call_arguments.delta",
                                                         "item_id": item["id"], "output_index": index, "delta": arguments}
        yield "response.function_call_arguments.done", {"type": "response.function_call_arguments.done",
                                                        "item_id": item["id"], "output_index": index, "arguments": arguments}
        yield "response.output_item.done", {"type": "response.output_item.done", "output_index": index,
                                            "item": dict(item, arguments=arguments, status="completed")}
    usage = {"input_tokens": 100, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 10,
             "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 110}
    yield "response.completed", {"type": "response.completed",
                                 "response": {"id": response_id, "status": "completed", "usage": usage}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake = None  # the FakeResponses, set on a subclass per server

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.split("?")[0] != "/v1/responses":
            return self._reply(404, b'{"error":{"message":"no such path","type":"invalid_request_error"}}')
        try:
            request = json.loads(body)
        except ValueError:
            return self._reply(400, b'{"error":{"message":"bad JSON","type":"invalid_request_error"}}')
        self.fake._record(request)
        turn = (self.fake.script and self.fake.script(request)) or default_turn(request)
        if "status" in turn:
            error = {"error": {"message": turn["message"], "type": "server_error", "code": None}}
            return self._reply(turn["status"], json.dumps(error).encode())
        self.send_response(200)
        self._common_headers("text/event-stream")
        self.end_headers()
        try:
            for name, data in _sse_events(turn):
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
        self.send_header("x-request-id", "req_fake_" + uuid.uuid4().hex[:12])
        self.close_connection = True

    def _reply(self, status, payload, content_type="application/json"):
        self.send_response(status)
        self._common_headers(content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class FakeResponses(FakeServer):
    """The server; `url` once started (Codex's base_url is `url` + "/v1"); `requests` holds every
    POST /v1/responses body and `errors` every exception a handler raised."""

    handler = _Handler
    url_path = ""


def main(argv=None):
    return serve_main(FakeResponses, __doc__.splitlines()[0], argv)


if __name__ == "__main__":
    sys.exit(main())
