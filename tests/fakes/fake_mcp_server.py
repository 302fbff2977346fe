#!/usr/bin/env python3
"""A tiny MCP server on stdio for tests: one tool, "poke", that writes a marker file.

JSON-RPC 2.0, one message per line. initialize (the client's protocolVersion echoed),
notifications/initialized (no reply), tools/list, tools/call, ping; any other request gets
-32601. Calling "poke" creates the file named by $FAKE_MCP_MARKER, else
fake_mcp_poked.txt in the working directory, so a test can tell whether the tool ran.

Stdlib only: python3 fake_mcp_server.py [--marker PATH]
"""
import argparse
import json
import os
import sys

TOOL = {
    "name": "poke",
    "description": "Pokes the test fixture (writes a marker file).",
    "inputSchema": {"type": "object", "properties": {"note": {"type": "string"}}},
}


def reply(id_, result=None, error=None):
    message = {"jsonrpc": "2.0", "id": id_}
    if error is not None:
        message["error"] = error
    else:
        message["result"] = result
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def handle(message, marker):
    method = message.get("method")
    id_ = message.get("id")
    params = message.get("params") or {}
    if id_ is None:
        return  # a notification (notifications/initialized, cancellations): no reply
    if method == "initialize":
        reply(id_, {"protocolVersion": params.get("protocolVersion", "2025-06-18"),
                    "capabilities": {"tools": {}},
                    "serverInfo": {"name": "fake", "version": "0.0.1"}})
    elif method == "tools/list":
        reply(id_, {"tools": [TOOL]})
    elif method == "tools/call":
        if params.get("name") != "poke":
            reply(id_, error={"code": -32602, "message": f"unknown tool {params.get('name')!r}"})
            return
        with open(marker, "w") as f:
            f.write(json.dumps(params.get("arguments") or {}))
        reply(id_, {"content": [{"type": "text", "text": "poked"}], "isError": False})
    elif method == "ping":
        reply(id_, {})
    else:
        reply(id_, error={"code": -32601, "message": f"method not found: {method}"})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marker", default=os.environ.get("FAKE_MCP_MARKER", "fake_mcp_poked.txt"))
    args = parser.parse_args(argv)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            message = json.loads(line)
        except ValueError:
            reply(None, error={"code": -32700, "message": "parse error"})
            continue
        if isinstance(message, dict):
            handle(message, args.marker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
