#!/usr/bin/env python3
"""Session benchmarks, with the real binaries on loopback:

1. replay: N stored events (realistic mix) replayed to a client that subscribes from 0
   on the local socket; time from the request to the last event received.
2. approval round trip: a paired device on one held connection through `tether relay`
   answers approvals of the real Claude Code CLI (fake model server); time from the
   approval_requested event reaching the device to the approval_resolved event coming
   back (device → relay → daemon → agent's answer recorded → relay → device).

Usage: session_bench.py --tether BIN --tools DIR [--events N] [--reps R] [--approvals K]
       [--out FILE] (--smoke: tiny sizes, no figures kept)."""
import argparse
import json
import os
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
        if os.path.exists(path):
            return
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
        pair = subprocess.Popen([args.tether, "pair", "--home", home, "--json", "--no-qr"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        offer = json.loads(pair.stdout.readline())
        subprocess.run([args.tether, "remote", "add", "bench", offer["link"], "--via", "relay", "--home", client_home],
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tether", required=True)
    ap.add_argument("--tools", required=True, help="directory with bench_fill_events and bench_approval_rtt")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--approvals", type=int, default=40)
    ap.add_argument("--out")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes; checks the benchmarks still run")
    args = ap.parse_args()
    if args.smoke:
        args.events, args.reps, args.approvals = 200, 1, 2
    tmp = tempfile.mkdtemp(prefix="tether-bench-")
    try:
        results = {"replay": bench_replay(args, tmp), "approval_round_trip": bench_approvals(args, tmp)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    r, a = results["replay"], results["approval_round_trip"]
    print(f"replay of {r['events']} events: min {r['min_s']:.3f} s, median {r['median_s']:.3f} s "
          f"({r['events_per_s_median']:.0f} events/s); daemon RSS {r['daemon_rss_idle_kib']} KiB idle, "
          f"{r['daemon_rss_after_kib']} KiB after")
    print(f"approval round trip through the relay ({a['approvals']}): p50 {a['p50_ms']:.2f} ms, "
          f"p99 {a['p99_ms']:.2f} ms, max {a['max_ms']:.2f} ms")
    if args.out and not args.smoke:
        results["machine"] = {"cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
