#!/usr/bin/env python3
"""A stand-in for `codex app-server` for CodexProvider's unit tests: the same stdio JSON lines
(the shared codex.md, section 4), scripted by the prompt text. Every line it reads is appended
to $FAKE_LOG. Prompts:
  [ask]       a commandExecution item and its approval request; the answer decides the item
  [withdraw]  an approval request, withdrawn at once (serverRequest/resolved)
  [long]      a turn that runs until turn/interrupt
  [late]      turn/start is answered 0.3 s late
  [slow]      a turn that ends after 0.3 s
  [hang]      no answer to turn/start at all
  anything    an agent message "echo: <prompt>"
thread/resume knows only the thread "known-thread"."""
import json
import os
import sys
import threading
import time

log = open(os.environ["FAKE_LOG"], "a", buffering=1)
out_lock = threading.Lock()
state = {"turn": 0, "thread": "thread-1", "pending": {}, "long": None, "server_id": 0}


def send(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def turn_done(thread, turn, status="completed"):
    send({"method": "thread/tokenUsage/updated", "params": {"threadId": thread, "turnId": turn, "tokenUsage": {
        "last": {"inputTokens": 5, "outputTokens": 2, "cachedInputTokens": 0, "cacheWriteInputTokens": 0}}}})
    send({"method": "turn/completed", "params": {"threadId": thread, "turn": {"id": turn, "status": status, "error": None}}})


def message(thread, turn, text):
    item = "msg_" + turn
    send({"method": "item/started", "params": {"threadId": thread, "turnId": turn, "item": {"type": "agentMessage", "id": item, "text": ""}}})
    send({"method": "item/agentMessage/delta", "params": {"threadId": thread, "turnId": turn, "itemId": item, "delta": text}})
    send({"method": "item/completed", "params": {"threadId": thread, "turnId": turn, "item": {"type": "agentMessage", "id": item, "text": text}}})


def ask(thread, turn, withdraw=False):
    server_id = state["server_id"]
    state["server_id"] += 1
    item = {"type": "commandExecution", "id": "call_" + turn, "command": "/bin/bash -lc 'touch x'", "cwd": "/w", "status": "inProgress"}
    send({"method": "item/started", "params": {"threadId": thread, "turnId": turn, "item": item}})
    send({"method": "item/commandExecution/requestApproval", "id": server_id, "params": {
        "kind": "command", "threadId": thread, "turnId": turn, "itemId": item["id"], "command": item["command"], "cwd": "/w"}})
    if withdraw:
        send({"method": "serverRequest/resolved", "params": {"threadId": thread, "requestId": server_id}})
        turn_done(thread, turn, "interrupted")
    else:
        state["pending"][server_id] = (thread, turn, item)


def on_request(msg):
    method, params, rid = msg.get("method"), msg.get("params") or {}, msg.get("id")
    if method == "initialize":
        send({"id": rid, "result": {"userAgent": "fake", "codexHome": "/h", "platformFamily": "unix", "platformOs": "linux"}})
    elif method == "thread/start":
        send({"id": rid, "result": {"thread": {"id": state["thread"], "turns": []}}})
    elif method == "thread/resume":
        if params.get("threadId") == "known-thread":
            state["thread"] = "known-thread"
            send({"id": rid, "result": {"thread": {"id": "known-thread", "turns": []}}})
        else:
            send({"id": rid, "error": {"code": -32600, "message": "no rollout found for thread id " + str(params.get("threadId"))}})
    elif method == "turn/start":
        text = params["input"][0]["text"]
        if "[hang]" in text:
            return
        if "[late]" in text:
            time.sleep(0.3)
        state["turn"] += 1
        thread, turn = params["threadId"], f"turn-{state['turn']}"
        send({"id": rid, "result": {"turn": {"id": turn, "status": "inProgress", "items": []}}})
        send({"method": "turn/started", "params": {"threadId": thread, "turn": {"id": turn, "status": "inProgress"}}})
        if "[ask]" in text:
            ask(thread, turn)
        elif "[withdraw]" in text:
            ask(thread, turn, withdraw=True)
        elif "[long]" in text:
            state["long"] = (thread, turn)
        elif "[slow]" in text:
            def later():
                time.sleep(0.3)
                message(thread, turn, "slow done")
                turn_done(thread, turn)
            threading.Thread(target=later, daemon=True).start()
        else:
            message(thread, turn, "echo: " + text)
            turn_done(thread, turn)
    elif method == "turn/interrupt":
        if state["long"] and state["long"][1] == params.get("turnId"):
            send({"id": rid, "result": {}})
            thread, turn = state["long"]
            state["long"] = None
            turn_done(thread, turn, "interrupted")
        else:
            send({"id": rid, "error": {"code": -32600, "message": "no active turn to interrupt"}})


def on_answer(msg):
    thread, turn, item = state["pending"].pop(msg["id"])
    decision = msg.get("result", {}).get("decision")
    item = dict(item, status="completed" if decision == "accept" else "declined", exitCode=0 if decision == "accept" else None)
    send({"method": "serverRequest/resolved", "params": {"threadId": thread, "requestId": msg["id"]}})
    send({"method": "item/completed", "params": {"threadId": thread, "turnId": turn, "item": item}})
    message(thread, turn, f"decision: {decision}")
    turn_done(thread, turn)


for line in sys.stdin:
    log.write(line)
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if "method" in msg and "id" in msg:
        on_request(msg)
    elif "id" in msg and msg["id"] in state["pending"]:
        on_answer(msg)
