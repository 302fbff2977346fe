#!/usr/bin/env python3
"""Session benchmarks, with the real binaries on loopback:

1. replay: N stored events (realistic mix) replayed to a client that subscribes from 0
   on the local socket; time from the request to the last event received.
2. approval round trip: a paired device on one held connection through `tether relay`
   answers approvals of the real Claude Code CLI (fake model server); time from the
   approval_requested event reaching the device to the approval_resolved event coming
   back (device → relay → daemon → agent's answer recorded → relay → device).
3. agent output ingestion: the real Claude Code CLI (fake model server) streams N text
   deltas in one turn; time from session.send to the turn's `idle` status at a client
   following the session on the local socket (every delta committed and delivered), and
   the daemon's CPU time for it, against the same CLI on the same command line driven
   directly by this script (its own time, the floor).

Usage: session_bench.py --tether BIN --tools DIR [--events N] [--reps R] [--approvals K]
       [--deltas D] [--turns T] [--out FILE] (--smoke: tiny sizes, no figures kept)."""
import argparse
import json
import os
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "fakes"))


def wait_socket(path, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"daemon exited with {proc.returncode}")
        # The file appears at bind(), a moment before listen(): only a connect says it serves.
        probe = socket.socket(socket.AF_UNIX)
        try:
            probe.connect(path)
            return
        except (FileNotFoundError, ConnectionRefusedError):
            pass
        finally:
            probe.close()
        time.sleep(0.02)
    raise SystemExit("daemon did not start")


def call(path, method, params):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(path)
    s.sendall(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).encode() + b"\n")
    buf = b""
    while b"\n" not in buf:
        buf += s.recv(65536)
    s.close()
    reply = json.loads(buf.split(b"\n")[0])
    if "error" in reply:
        raise SystemExit(f"{method}: {reply['error']}")
    return reply["result"]


def replay_once(path, session, n):
    """Seconds from sending session.subscribe(since=0) to the n-th event's line."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(60)
    s.connect(path)
    req = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "session.subscribe", "params": {"session": session, "since": 0}})
    start = time.perf_counter()
    s.sendall(req.encode() + b"\n")
    lines = 0
    last = b""
    while lines < n + 1:  # the reply, then n events
        chunk = s.recv(1 << 20)
        if not chunk:
            raise SystemExit("connection closed during replay")
        lines += chunk.count(b"\n")
        last = (last + chunk)[-4096:]
    elapsed = time.perf_counter() - start
    s.close()
    tail = last.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    if json.loads(tail)["params"]["seq"] != n:
        raise SystemExit("the last event is not seq n")
    return elapsed


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def bench_replay(args, tmp):
    home = os.path.join(tmp, "replay-home")
    os.makedirs(home, mode=0o700)
    session = subprocess.run([os.path.join(args.tools, "bench_fill_events"), home, str(args.events)],
                             check=True, capture_output=True, text=True).stdout.strip()
    proc = subprocess.Popen([args.tether, "daemon", "--home", home, "--no-direct"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        path = os.path.join(home, "tether.sock")
        wait_socket(path, proc)
        idle_rss = rss_kib(proc.pid)
        times = [replay_once(path, session, args.events) for _ in range(args.reps)]
        return {"events": args.events, "seconds": times, "min_s": min(times), "median_s": statistics.median(times),
                "events_per_s_median": args.events / statistics.median(times), "daemon_rss_idle_kib": idle_rss,
                "daemon_rss_after_kib": rss_kib(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def bench_approvals(args, tmp):
    os.environ["TETHER_BIN"] = args.tether  # read by the harness at import
    from claude_env import claude_bin, claude_env
    from fake_anthropic import FakeAnthropic
    from relay_harness import Relay

    fake = FakeAnthropic()
    fake.start()
    relay = Relay(tmp)
    home = os.path.join(tmp, "rtt-home")
    client_home = os.path.join(tmp, "rtt-client")
    work = os.path.join(tmp, "rtt-work")
    os.makedirs(work)
    env = {**os.environ, **claude_env(fake.url, os.path.join(tmp, "rtt-agent"))}
    proc = subprocess.Popen([args.tether, "daemon", "--home", home, "--no-direct", "--relay", relay.url(),
                             "--claude-bin", claude_bin()], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        path = os.path.join(home, "tether.sock")
        wait_socket(path, proc)
        deadline = time.monotonic() + 30
        while call(path, "daemon.info", {})["relay"]["state"] != "connected":
            if time.monotonic() > deadline:
                raise SystemExit("the daemon did not link to the relay")
            time.sleep(0.05)
        pair = subprocess.Popen([args.tether, "pair", "--home", home, "--json", "--no-qr", "--yes"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        offer = json.loads(pair.stdout.readline())
        subprocess.run([args.tether, "remote", "add", "bench", offer["link"], "--via", "relay", "--yes", "--home", client_home],
                       check=True, capture_output=True, timeout=60)
        pair.communicate(timeout=30)
        session = call(path, "session.create", {"cwd": work, "mode": "ask"})["id"]
        out = subprocess.run([os.path.join(args.tools, "bench_approval_rtt"), client_home, "bench", session,
                              str(args.approvals)], check=True, capture_output=True, text=True, timeout=600).stdout
        samples = sorted(json.loads(out)["round_trips_us"])
        pct = lambda p: samples[min(len(samples) - 1, int(round(p / 100 * (len(samples) - 1))))] / 1000
        return {"approvals": len(samples), "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": samples[-1] / 1000,
                "samples_us": samples}
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        relay.stop()
        fake.stop()


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class LineReader:
    """JSON lines from a socket or a pipe; each read waits at most `timeout` seconds."""

    def __init__(self, fd, timeout=120):
        self.fd, self.timeout, self.buf = fd, timeout, b""

    def line(self):
        while b"\n" not in self.buf:
            if not select.select([self.fd], [], [], self.timeout)[0]:
                raise SystemExit(f"no line within {self.timeout} s")
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                raise SystemExit("the stream ended")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)


def ingest_through_daemon(path, pid, session, events, text, deltas):
    """(seconds, daemon CPU seconds) for one turn: session.send to the `idle` status on the
    subscription; checks that every delta arrived, in order, with no gap in seq."""
    cpu0 = cpu_seconds(pid)
    start = time.perf_counter()
    call(path, "session.send", {"session": session, "text": text})
    seen, last_seq = 0, None
    while True:
        params = events.line()["params"]
        if last_seq is not None and params["seq"] != last_seq + 1:
            raise SystemExit(f"seq jumped from {last_seq} to {params['seq']}")
        last_seq = params["seq"]
        if params["kind"] == "assistant_delta":
            seen += 1
            if deltas and params["data"]["text"] != f"w{seen} ":
                raise SystemExit(f"delta {seen} is {params['data']['text']!r}")
        elif params["kind"] == "status" and params["data"]["status"] in ("idle", "error", "exited"):
            if params["data"]["status"] != "idle":
                raise SystemExit(f"the turn ended with {params['data']}")
            break
    elapsed = time.perf_counter() - start
    if deltas and seen != deltas:
        raise SystemExit(f"{seen} of {deltas} deltas arrived")
    return elapsed, cpu_seconds(pid) - cpu0


def ingest_alone(agent, reader, text, deltas):
    """Seconds for one turn of the CLI driven directly: the user line to its result line."""
    start = time.perf_counter()
    agent.stdin.write(json.dumps({"type": "user", "message": {"role": "user", "content": text},
                                  "parent_tool_use_id": None, "session_id": ""}).encode() + b"\n")
    agent.stdin.flush()
    seen = 0
    while True:
        line = reader.line()
        if line.get("type") == "stream_event" and line["event"].get("delta", {}).get("type") == "text_delta":
            seen += 1
        elif line.get("type") == "result":
            break
    elapsed = time.perf_counter() - start
    if deltas and seen != deltas:
        raise SystemExit(f"the CLI alone streamed {seen} of {deltas} deltas")
    return elapsed


def bench_ingest(args, tmp):
    from claude_env import claude_bin, claude_env
    from fake_anthropic import FakeAnthropic

    fake = FakeAnthropic()
    fake.start()
    home = os.path.join(tmp, "ingest-home")
    work = os.path.join(tmp, "ingest-work")
    os.makedirs(work)
    env = {**os.environ, **claude_env(fake.url, os.path.join(tmp, "ingest-agent"))}
    text = f"[stream:{args.deltas}]"
    daemon = subprocess.Popen([args.tether, "daemon", "--home", home, "--no-direct", "--claude-bin", claude_bin()],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The command line the daemon gives the CLI (src/providers/claude/stdin_lines.cpp).
    agent = subprocess.Popen([claude_bin(), "-p", "--input-format", "stream-json", "--output-format", "stream-json",
                              "--verbose", "--permission-prompt-tool", "stdio", "--include-partial-messages"],
                             cwd=work, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    try:
        path = os.path.join(home, "tether.sock")
        wait_socket(path, daemon)
        session = call(path, "session.create", {"cwd": work, "mode": "ask"})["id"]
        sub = socket.socket(socket.AF_UNIX)
        sub.connect(path)
        sub.sendall(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "session.subscribe",
                                "params": {"session": session, "since": 0}}).encode() + b"\n")
        events = LineReader(sub.fileno())
        if "result" not in events.line():
            raise SystemExit("session.subscribe failed")
        alone = LineReader(agent.stdout.fileno())
        # A first turn each starts the CLI and loads its code; only later turns are timed.
        ingest_through_daemon(path, daemon.pid, session, events, "[text:warm]", 0)
        ingest_alone(agent, alone, "[text:warm]", 0)
        through, floor = [], []
        for rep in range(args.turns):
            runs = [lambda: through.append(ingest_through_daemon(path, daemon.pid, session, events, text, args.deltas)),
                    lambda: floor.append(ingest_alone(agent, alone, text, args.deltas))]
            for run in runs if rep % 2 == 0 else reversed(runs):
                run()
        sub.close()
        seconds = [t for t, _ in through]
        med = statistics.median(seconds)
        return {"deltas": args.deltas, "seconds": seconds, "median_s": med, "events_per_s_median": args.deltas / med,
                "daemon_cpu_s": [c for _, c in through],
                "daemon_cpu_ms_per_1k_median": statistics.median(c for _, c in through) * 1e6 / args.deltas,
                "alone_seconds": floor, "alone_median_s": statistics.median(floor)}
    finally:
        agent.stdin.close()  # the CLI exits at the end of its input
        for proc, ask in ((agent, lambda: None), (daemon, daemon.terminate)):
            ask()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        fake.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tether", required=True)
    ap.add_argument("--tools", required=True, help="directory with bench_fill_events and bench_approval_rtt")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--approvals", type=int, default=40)
    ap.add_argument("--deltas", type=int, default=5000, help="text deltas per timed turn of the ingestion benchmark")
    ap.add_argument("--turns", type=int, default=3, help="timed turns of the ingestion benchmark, each way")
    ap.add_argument("--out")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes; checks the benchmarks still run")
    args = ap.parse_args()
    if args.smoke:
        args.events, args.reps, args.approvals, args.deltas, args.turns = 200, 1, 2, 50, 1
    tmp = tempfile.mkdtemp(prefix="tether-bench-")
    try:
        results = {"replay": bench_replay(args, tmp), "approval_round_trip": bench_approvals(args, tmp),
                   "ingest": bench_ingest(args, tmp)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r, a = results["replay"], results["approval_round_trip"]
    print(f"replay of {r['events']} events: min {r['min_s']:.3f} s, median {r['median_s']:.3f} s "
          f"({r['events_per_s_median']:.0f} events/s); daemon RSS {r['daemon_rss_idle_kib']} KiB idle, "
          f"{r['daemon_rss_after_kib']} KiB after")
    print(f"approval round trip through the relay ({a['approvals']}): p50 {a['p50_ms']:.2f} ms, "
          f"p99 {a['p99_ms']:.2f} ms, max {a['max_ms']:.2f} ms")
    i = results["ingest"]
    print(f"ingestion of {i['deltas']} streamed deltas: median {i['median_s']:.3f} s through the daemon "
          f"({i['events_per_s_median']:.0f} events/s, daemon CPU {i['daemon_cpu_ms_per_1k_median']:.1f} ms per 1,000), "
          f"{i['alone_median_s']:.3f} s for the CLI alone")
    if args.out and not args.smoke:
        results["machine"] = {"cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
