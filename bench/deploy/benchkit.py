#!/usr/bin/env python3
"""Helpers of bench/deploy/run.sh; standard library only.

  benchkit.py free-port
      Prints a free loopback port below the kernel's ephemeral port range.
  benchkit.py load --port P --out FILE.csv --ready FILE [--interval-ms 20] [--timeout 2] [--max-seconds 900]
      Polls GET /release.txt on 127.0.0.1:P on a fixed schedule until SIGTERM/SIGINT (or --max-seconds).
  benchkit.py run --out FILE.json [--timeout S] -- COMMAND...
      Runs COMMAND, stamps each output line (stdout and stderr merged) with the ms elapsed since it was started.
  benchkit.py compose-up --project P --file F --services N --out FILE.json [--timeout S]
      Times `docker-compose up -d`, then polls `docker inspect` every 100 ms until N containers run healthy.
  benchkit.py wait-release --port P --release R [--timeout S]
      Waits until the front answers R on /release.txt.
  benchkit.py report --raw DIR --md FILE --json FILE --csv FILE
      Builds the result file from the raw measurements.
"""

import argparse
import asyncio
import csv
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time


# ---------------------------------------------------------------- load generator

async def one_request(port, seq, due_mono, due_epoch, timeout, results):
    """One GET on a fresh connection; latency counts from the intended send time."""
    now = time.monotonic()
    if due_mono > now:
        await asyncio.sleep(due_mono - now)
    sent = time.monotonic()
    status, error, body = 0, "", ""
    writer = None
    try:
        async def exchange():
            nonlocal writer
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET /release.txt HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                         "User-Agent: gantry-bench\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            return await reader.read(-1)
        raw = await asyncio.wait_for(exchange(), timeout)
        head, _, rest = raw.partition(b"\r\n\r\n")
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        m = re.match(r"HTTP/\d\.\d (\d{3})", line)
        if not m:
            error = "bad response" if raw else "empty response"
        else:
            status = int(m.group(1))
            body = rest.decode("utf-8", "replace").strip()[:40]
            if status != 200:
                error = f"status {status}"
    except asyncio.TimeoutError:
        error = "timeout"
    except ConnectionRefusedError:
        error = "refused"
    except ConnectionResetError:
        error = "reset"
    except OSError as e:
        error = type(e).__name__ + (f" {e.errno}" if e.errno else "")
    finally:
        if writer is not None:
            writer.close()
    done = time.monotonic()
    results.append((seq, due_epoch, (sent - due_mono) * 1000, (done - due_mono) * 1000, status, error,
                    re.sub(r"[\r\n,]+", " ", body)))


async def load(args):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    interval = args.interval_ms / 1000.0
    t0_mono = time.monotonic() + 0.05
    t0_epoch = time.time() + 0.05
    results, tasks = [], set()
    seq = 0
    ready = False
    deadline = t0_mono + args.max_seconds
    while not stop.is_set() and t0_mono + seq * interval < deadline:
        due = t0_mono + seq * interval
        wait = due - time.monotonic()
        if wait > 0:
            try:
                await asyncio.wait_for(stop.wait(), wait)
                break
            except asyncio.TimeoutError:
                pass
        t = asyncio.create_task(one_request(args.port, seq, due, t0_epoch + seq * interval, args.timeout, results))
        tasks.add(t)
        t.add_done_callback(tasks.discard)
        seq += 1
        if not ready:
            ready = True
            with open(args.ready, "w") as f:
                f.write(str(os.getpid()))
    if tasks:
        await asyncio.wait(set(tasks), timeout=args.timeout + 5)
    results.sort()
    with open(args.out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["seq", "intended_epoch_ms", "send_lag_ms", "latency_ms", "status", "error", "body"])
        for r in results:
            w.writerow([r[0], f"{r[1] * 1000:.1f}", f"{r[2]:.1f}", f"{r[3]:.1f}", r[4], r[5], r[6]])
    print(f"load: {len(results)} requests, {sum(1 for r in results if r[5])} failed", file=sys.stderr)


def free_port():
    """A free loopback port below the ephemeral range: a published port inside it can be taken by any
    outgoing connection while the front is being recreated."""
    import random
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(500):
        port = random.randint(min(20000, low - 1000), low - 1)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise SystemExit("no free loopback port below the ephemeral range (%d)" % low)


# ---------------------------------------------------------------- timed command

def run_command(args):
    argv = args.command[1:] if args.command and args.command[0] == "--" else args.command
    lines = []
    start_epoch = time.time()
    start = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    timed_out = []

    def killer():
        timed_out.append(True)
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(args.timeout, killer)
    timer.start()

    def forward(signum, _frame):
        try:
            os.killpg(p.pid, signum)
        except ProcessLookupError:
            pass
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        for raw in p.stdout:
            ms = (time.monotonic() - start) * 1000
            text = raw.decode("utf-8", "replace").rstrip("\n")
            lines.append([round(ms, 1), text])
            if not args.quiet:
                print(f"  {ms:8.0f} ms | {text}", file=sys.stderr, flush=True)
        code = p.wait()
    finally:
        timer.cancel()
    wall = (time.monotonic() - start) * 1000
    if timed_out:
        lines.append([round(wall, 1), f"[benchkit: killed after {args.timeout:.0f} s]"])
    with open(args.out, "w") as f:
        json.dump({"argv": argv, "start_epoch_ms": round(start_epoch * 1000, 1), "wall_ms": round(wall, 1),
                   "exit_code": code, "timed_out": bool(timed_out), "lines": lines}, f, indent=1)
    return code


# ---------------------------------------------------------------- docker-compose at its best

def sh(argv, timeout=60):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, text=True)


def compose_up(args):
    start_epoch = time.time()
    start = time.monotonic()
    up = sh(["docker-compose", "-p", args.project, "-f", args.file, "up", "-d", "--remove-orphans"], args.timeout)
    up_ms = (time.monotonic() - start) * 1000
    result = {"start_epoch_ms": round(start_epoch * 1000, 1), "up_ms": round(up_ms, 1), "up_exit_code": up.returncode,
              "up_output": (up.stdout + up.stderr)[-2000:], "polls": 0}
    healthy_ms, states = None, ""
    deadline = start + args.timeout
    if up.returncode == 0:
        ids = sh(["docker", "ps", "-aq", "--filter", f"label=com.docker.compose.project={args.project}"]).stdout.split()
        tick = time.monotonic()
        while time.monotonic() < deadline:
            r = sh(["docker", "inspect", "--format",
                    "{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}"] + ids)
            result["polls"] += 1
            states = r.stdout.split()
            if r.returncode == 0 and len(states) >= args.services and all(s == "running/healthy" for s in states):
                healthy_ms = (time.monotonic() - start) * 1000
                break
            tick += 0.1
            time.sleep(max(0.0, tick - time.monotonic()))
    result["healthy_ms"] = None if healthy_ms is None else round(healthy_ms, 1)
    result["last_states"] = states
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    if healthy_ms is None:
        print(f"compose-up: not healthy: exit {up.returncode}, states {states}\n{result['up_output']}", file=sys.stderr)
        return 1
    return 0


def wait_release(args):
    deadline = time.monotonic() + args.timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", args.port), timeout=2) as s:
                s.sendall(b"GET /release.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                raw = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    raw += chunk
            head, _, body = raw.partition(b"\r\n\r\n")
            last = head.split(b"\r\n", 1)[0].decode("latin-1") + " " + body.decode("utf-8", "replace").strip()
            if b" 200 " in head.split(b"\r\n", 1)[0] and body.decode("utf-8", "replace").strip() == args.release:
                return 0
        except OSError as e:
            last = str(e)
        time.sleep(0.2)
    print(f"the front on port {args.port} does not answer {args.release} (last: {last})", file=sys.stderr)
    return 1


# ---------------------------------------------------------------- report

def pct(values, p):
    """Nearest-rank percentile."""
    if not values:
        return None
    s = sorted(values)
    k = max(1, -(-len(s) * p // 100))
    return s[int(k) - 1]


def med(values):
    return statistics.median(values) if values else None


def fmt(v, digits=0):
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}"


SCENARIOS = {
    "a": ("(a) healthy deploy A -> B", "B"),
    "b": ("(b) deploy of C (fails its health check)", "A"),
    "c": ("(c) `gantry rollback` B -> A", "A"),
}


def analyse_run(raw, scen, n):
    with open(os.path.join(raw, f"zd-{scen}-{n}.json")) as f:
        cmd = json.load(f)
    reqs = []
    with open(os.path.join(raw, f"zd-{scen}-{n}.csv")) as f:
        for r in csv.DictReader(f):
            reqs.append(r)
    t_cmd = cmd["start_epoch_ms"]
    rows, lat, failed, by_body, errors = [], [], [], {}, {}
    for r in reqs:
        t = float(r["intended_epoch_ms"]) - t_cmd
        latency = float(r["latency_ms"])
        ok = r["error"] == ""
        lat.append(latency)
        if not ok:
            failed.append(t)
            errors[r["error"]] = errors.get(r["error"], 0) + 1
        else:
            by_body[r["body"]] = by_body.get(r["body"], 0) + 1
        rows.append([scen, n, int(r["seq"]), round(t, 1), float(r["send_lag_ms"]), latency, int(r["status"]),
                     r["error"], r["body"]])
    answered = [r for r in rows if not r[7]]
    c_times = [r[3] for r in answered if r[8] == "C"]
    last_answer = answered[-1][8] if answered else ""
    lags = [r[4] for r in rows]
    summary = {
        "scenario": scen, "run": n, "requests": len(rows), "failed": len(failed),
        "answered_by_C": sum(1 for r in answered if r[8] == "C"),
        "answers": by_body, "errors": errors,
        "first_C_ms": min(c_times) if c_times else None, "last_C_ms": max(c_times) if c_times else None,
        "p50_ms": pct(lat, 50), "p99_ms": pct(lat, 99), "max_ms": max(lat) if lat else None,
        "send_lag_p99_ms": pct(lags, 99), "send_lag_max_ms": max(lags) if lags else None,
        "first_failure_ms": min(failed) if failed else None, "last_failure_ms": max(failed) if failed else None,
        "window_start_ms": rows[0][3] if rows else None, "window_end_ms": rows[-1][3] if rows else None,
        "answering_at_end": last_answer, "expected_at_end": SCENARIOS[scen][1],
        "wall_ms": cmd["wall_ms"], "exit_code": cmd["exit_code"], "timed_out": cmd.get("timed_out", False),
        "last_line": cmd["lines"][-1][1] if cmd["lines"] else "",
    }
    return summary, rows


def answers(s):
    parts = []
    for body, count in sorted(s["answers"].items()):
        part = f"{body or '(empty)'}: {count}"
        if body == "C":
            part += f" (at {fmt(s['first_C_ms'])} to {fmt(s['last_C_ms'])} ms)"
        parts.append(part)
    return ", ".join(parts) or "-"


def line_key(text, seen):
    """Groups the same progress line across runs: its first word, numbered when it repeats."""
    words = re.sub(r"^[^A-Za-z]*", "", text).split()
    w = words[0].lower() if words else "(blank)"
    seen[w] = seen.get(w, 0) + 1
    return w if seen[w] == 1 else f"{w}#{seen[w]}"


def phases(runs):
    """Median time at which each progress line appears, over the given command runs."""
    at, text, count = {}, {}, {}
    for r in runs:
        seen = {}
        for ms, t in r["lines"]:
            k = line_key(t, seen)
            at.setdefault(k, []).append(ms)
            text.setdefault(k, t.strip())
            count[k] = count.get(k, 0) + 1
    order = sorted(at, key=lambda k: med(at[k]))
    out, prev = [], 0.0
    for k in order:
        m = med(at[k])
        out.append({"line": text[k], "median_at_ms": m, "median_gap_ms": m - prev, "seen_in": count[k]})
        prev = m
    exit_med = med([r["wall_ms"] for r in runs])
    out.append({"line": "(process exit)", "median_at_ms": exit_med, "median_gap_ms": exit_med - prev,
                "seen_in": len(runs)})
    return out


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return ""


def stats_row(name, values):
    return f"| {name} | {fmt(med(values))} | {fmt(min(values) if values else None)} | {fmt(max(values) if values else None)} |"


def report(args):
    raw = args.raw
    with open(os.path.join(raw, "meta.json")) as f:
        meta = json.load(f)
    n_iter = meta["iterations"]
    summaries, all_rows = [], []
    for n in range(1, n_iter + 1):
        for scen in SCENARIOS:
            if os.path.exists(os.path.join(raw, f"zd-{scen}-{n}.json")):
                s, rows = analyse_run(raw, scen, n)
                summaries.append(s)
                all_rows.extend(rows)

    def load_json(name):
        with open(os.path.join(raw, name)) as f:
            return json.load(f)

    ov = []
    for k in range(1, n_iter + 1):
        if os.path.exists(os.path.join(raw, f"ov-gantry-{k}.json")) and os.path.exists(os.path.join(raw, f"ov-compose-{k}.json")):
            g, c = load_json(f"ov-gantry-{k}.json"), load_json(f"ov-compose-{k}.json")
            ov.append({"iteration": k, "first": "gantry" if k % 2 == 1 else "compose", "release": meta["ov_releases"][k - 1],
                       "gantry_ms": g["wall_ms"], "gantry_exit_code": g["exit_code"], "compose_up_ms": c["up_ms"],
                       "compose_healthy_ms": c["healthy_ms"], "compose_polls": c["polls"], "gantry_lines": g["lines"]})
    shape = [load_json(f"ov-shape-{k}.json") for k in range(1, n_iter + 1)
             if os.path.exists(os.path.join(raw, f"ov-shape-{k}.json"))]
    versions = [load_json(f) for f in sorted(os.listdir(raw)) if f.startswith("version-launcher-")]
    bare = [load_json(f) for f in sorted(os.listdir(raw)) if f.startswith("version-bare-")]

    # ---- markdown
    md = []
    md.append(f"# Deploy benchmark: `./gantry deploy` as users run it ({meta['date']})\n")
    md.append(f"Measures Gantry's code at commit `{meta['commit']}` ({meta['commit_subject']}), the last commit that "
              f"changed anything outside `bench/`{'; with uncommitted changes outside `bench/`' if meta['dirty'] else ''}"
              f" (checkout at `{meta.get('head', meta['commit'])}`).\n")
    md.append(f"Run {meta['started']} to {meta['finished']} (UTC) by `bench/deploy/run.sh {n_iter}` on {meta['cores']} cores "
              f"(load average {meta['loadavg_start']} at the start, {meta['loadavg_end']} at the end; the machine is "
              f"shared with other builds), Docker {meta['docker']}, docker-compose {meta['compose']}, {meta['java']}, "
              f"nginx {meta['nginx']}, kernel {meta['kernel']}.\n")
    if n_iter < 3:
        md.append(f"**Only {n_iter} iteration(s): a smoke run of the harness, not a measurement.**\n")
    md.append("The system (declared in a throwaway infra repository's `infra/Infra.java`, deployed with "
              "`./gantry deploy bench --host local --local --infra ... --root ... --data-dir ... --prefix ... "
              f"--unit-dir ... --health-timeout {meta['health_timeout']}`, a fresh JVM each time through the repository's launcher):\n")
    md.append("* `app`: busybox httpd on 8080 serving `/health` and `/release.txt`, no data volume, depends on `db`, "
              "`HealthCheck.http(\"/health\")` every 500 ms; image `gantry-bench/app:<release>`;")
    md.append("* `db`: busybox httpd on 7000 with a health check, data volume `dbdata`; image `gantry-bench/db:1` (pinned);")
    md.append("* the front: `Frontend.nginx().image(\"gantry-bench/nginx:1\")` (the host's nginx binary) on a free "
              "loopback port, `route(\"/\", \"app:8080\")`.\n")
    md.append("Releases A and B are healthy; C has no `/health`, so its health check fails. All images are built "
              "locally over busybox-static; nothing is pulled.\n")

    md.append("## 1. Failed requests during deploys\n")
    md.append(f"A load generator (`benchkit.py load`) sends `GET /release.txt` to the front every "
              f"{meta['interval_ms']} ms on a fixed schedule (request i is due at t0 + i x {meta['interval_ms']} ms, sent "
              "even while earlier ones are still open), each on a fresh TCP connection with `Connection: close` and a "
              f"{meta['request_timeout']} s timeout. Latency counts from the intended send time, so a stalled client or "
              "server shows up as latency. A request fails on a connection error, a timeout or any status other than "
              "200; latency percentiles are over all requests, failed ones included (time until the failure). "
              "Polling starts about 1 s before the command and stops about 1 s after it exits. Before every run the "
              "baseline is set up and not measured: `deploy --release A` (and for (c) then `deploy --release B`), "
              "then the front must answer the baseline release. The three scenarios take turns, run by run.\n")
    if not summaries:
        md.append("(part 1 was not run)\n")
    else:
        md.append("| scenario | run | requests | failed | answered by C | p50 ms | p99 ms | max ms | first / last failure at ms | wall ms | exit | answered (release: requests) | answers at the end |")
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|---|")
        for s in sorted(summaries, key=lambda s: (s["scenario"], s["run"])):
            ff = "-" if s["first_failure_ms"] is None else f"{fmt(s['first_failure_ms'])} / {fmt(s['last_failure_ms'])}"
            end = s["answering_at_end"] or "(nothing)"
            if end != s["expected_at_end"]:
                end += f" (expected {s['expected_at_end']})"
            md.append(f"| {SCENARIOS[s['scenario']][0]} | {s['run']} | {s['requests']} | {s['failed']} | {s['answered_by_C']} | "
                      f"{fmt(s['p50_ms'])} | {fmt(s['p99_ms'])} | {fmt(s['max_ms'])} | {ff} | {fmt(s['wall_ms'])} | "
                      f"{s['exit_code']}{' (killed)' if s['timed_out'] else ''} | {answers(s)} | {end} |")
        md.append("\nTimes (failures, answers by C) are intended send times in ms relative to the start of the command; "
                  "\"answers at the end\" is the release that answered the last successful request. Per scenario:\n")
        md.append("| scenario | runs | failed requests: median (min-max) | answered by C (total) | median p99 ms | worst max ms | median wall ms | exit codes | kinds of failure |")
        md.append("|---|---:|---|---:|---:|---:|---:|---|---|")
        for scen, (label, _) in SCENARIOS.items():
            ss = [s for s in summaries if s["scenario"] == scen]
            if not ss:
                continue
            kinds = {}
            for s in ss:
                for e, c in s["errors"].items():
                    kinds[e] = kinds.get(e, 0) + c
            fails = [s["failed"] for s in ss]
            md.append(f"| {label} | {len(ss)} | {fmt(med(fails))} ({min(fails)}-{max(fails)}) | "
                      f"{sum(s['answered_by_C'] for s in ss)} | {fmt(med([s['p99_ms'] for s in ss]))} | "
                      f"{fmt(max(s['max_ms'] for s in ss))} | {fmt(med([s['wall_ms'] for s in ss]))} | "
                      f"{', '.join(sorted({str(s['exit_code']) for s in ss}))} | "
                      f"{', '.join(f'{k}: {v}' for k, v in sorted(kinds.items(), key=lambda x: -x[1])) or '-'} |")
        lag99 = [s["send_lag_p99_ms"] for s in summaries if s["send_lag_p99_ms"] is not None]
        lagmax = [s["send_lag_max_ms"] for s in summaries if s["send_lag_max_ms"] is not None]
        if lagmax:
            md.append(f"\nThe load generator itself sent late by at most {fmt(max(lagmax))} ms (median per-run p99 "
                      f"{fmt(med(lag99))} ms): the latencies above include that much of the client's own scheduling on "
                      "the shared 2 cores.\n")
        last_lines = {}
        for s in summaries:
            last_lines.setdefault(s["scenario"], s["last_line"])
        md.append("What Gantry printed last (first run of each scenario):\n")
        for scen, line in last_lines.items():
            md.append(f"* {SCENARIOS[scen][0]}: `{line.strip()}`")
        md.append("")

    md.append("## 2. Overhead of `./gantry deploy` over `docker-compose up -d` + waiting for health\n")
    md.append(f"Same system, front included. Each iteration deploys the other release (A/B alternate: only `app` "
              "changes) once with `./gantry deploy` (a new app instance beside the old one, the front switched by "
              "reload, the old one stopped) and once with "
              f"`docker-compose -p <own project> up -d --remove-orphans` on {meta['compose_source']}, then "
              "`docker inspect` every 100 ms until all three containers run healthy. Images are present; the compose "
              "project has its own prefix, port and volume. Gantry goes first on odd iterations, compose on even ones. "
              "Both are timed from process start to exit (Gantry) or to the first poll that sees everything healthy "
              "(compose). No load generator runs in this part.\n")
    md.append("Only `app`'s image changes between A and B, so Gantry's compose file keeps its shape and Gantry does "
              "not run `docker-compose config` on it again (the running file passed it; a file's validity does not "
              "depend on its images). The row *new shape* times the same deploys when `app`'s environment also "
              "changes with every deploy (`BENCH_SHAPE`), so that check runs; those run after the iterations above.\n")
    if ov:
        g = [o["gantry_ms"] for o in ov]
        cu = [o["compose_up_ms"] for o in ov]
        ch = [o["compose_healthy_ms"] for o in ov if o["compose_healthy_ms"] is not None]
        paired = [o["gantry_ms"] - o["compose_healthy_ms"] for o in ov if o["compose_healthy_ms"] is not None]
        md.append("| what | median ms | min ms | max ms |\n|---|---:|---:|---:|")
        md.append(stats_row("`./gantry deploy` (whole command, fresh JVM)", g))
        if shape:
            md.append(stats_row("`./gantry deploy`, new shape (`docker-compose config` runs too)", [x["wall_ms"] for x in shape]))
        md.append(stats_row("`docker-compose up -d` alone", cu))
        md.append(stats_row("`docker-compose up -d` + wait until healthy", ch))
        if versions:
            md.append(stats_row("`./gantry --version` (launcher + JVM start, no work)", [v["wall_ms"] for v in versions]))
        if bare:
            md.append(stats_row("`java -jar gantry-cli/target/gantry.jar --version` (same JDK, without the launcher script)",
                                [v["wall_ms"] for v in bare]))
        d = med(g) - med(ch) if ch else None
        md.append(f"\n**Median difference: {fmt(d)} ms** (`./gantry deploy` median minus compose-and-wait median; "
                  f"{fmt(100.0 * d / med(ch)) if d is not None and med(ch) else 'n/a'} % of the latter); median of the "
                  f"per-iteration differences: {fmt(med(paired))} ms. Gantry exit codes: "
                  f"{', '.join(sorted({str(o['gantry_exit_code']) for o in ov}))}.")
        if shape and ch:
            ds = med([x["wall_ms"] for x in shape]) - med(ch)
            md.append(f"With a new shape: **{fmt(ds)} ms** over compose-and-wait. Exit codes: "
                      f"{', '.join(sorted({str(x['exit_code']) for x in shape}))}.")
        md.append("")
        md.append("| iteration | first | release | gantry ms | compose up -d ms | compose healthy ms |\n|---:|---|---|---:|---:|---:|")
        for o in ov:
            md.append(f"| {o['iteration']} | {o['first']} | {o['release']} | {fmt(o['gantry_ms'])} | {fmt(o['compose_up_ms'])} | "
                      f"{fmt(o['compose_healthy_ms'])} |")
        ph = phases([{"lines": o["gantry_lines"], "wall_ms": o["gantry_ms"]} for o in ov])
        md.append("\n### Where `./gantry deploy`'s time goes\n")
        md.append("Each output line is stamped with the ms since the command started, as it arrives (Gantry prints "
                  "most lines when a step begins). The gap is the median time between the line before and this one, "
                  "i.e. what ran before this line appeared; the first gap is launcher + JVM start + compiling and "
                  "loading `infra/Infra.java` + whatever runs before the first line.\n")
        md.append("| line (text of the first run) | seen in | median at ms | median gap ms |\n|---|---:|---:|---:|")
        for p in ph:
            md.append(f"| `{p['line'][:110]}` | {p['seen_in']}/{len(ov)} | {fmt(p['median_at_ms'])} | {fmt(p['median_gap_ms'])} |")
        md.append("")
    else:
        md.append("(no overhead iterations completed)\n")
    incidents = read_text(os.path.join(raw, "incidents.txt"))
    diagnostics = read_text(os.path.join(raw, "diagnostics.txt"))
    md.append("## Incidents\n")
    if incidents:
        md.append("Times when Gantry reported success (or a completed rollback) but the front did not answer the "
                  "release on its published port within 60 s afterwards (checked outside the measured windows; a "
                  "baseline is then deployed once more):\n")
        md.extend(f"* {line}" for line in incidents.splitlines())
        if diagnostics:
            md.append("\nWhat Docker showed at those times:\n\n```\n" + diagnostics.rstrip() + "\n```")
        md.append("")
    else:
        md.append("None: after every command the front answered the expected release within 60 s.\n")
    md.append("## Raw data\n")
    md.append(f"`{os.path.basename(args.json)}` holds every run's summary, every command's stamped output and the "
              f"overhead timings; `{os.path.basename(args.csv)}` holds every request (scenario, run, seq, intended time "
              "relative to the command start, send lag, latency, status, error, body).\n")

    with open(args.md, "w") as f:
        f.write("\n".join(md))
    raw_cmds = {}
    for name in sorted(os.listdir(raw)):
        if name.endswith(".json") and name != "meta.json":
            raw_cmds[name[:-5]] = load_json(name)
    with open(args.json, "w") as f:
        json.dump({"meta": meta, "zero_downtime_runs": summaries, "overhead": ov,
                   "overhead_new_shape": [{"wall_ms": x["wall_ms"], "exit_code": x["exit_code"], "lines": x["lines"]} for x in shape],
                   "incidents": read_text(os.path.join(raw, "incidents.txt")).splitlines(),
                   "diagnostics": read_text(os.path.join(raw, "diagnostics.txt")),
                   "version_launcher_ms": [v["wall_ms"] for v in versions], "version_bare_ms": [v["wall_ms"] for v in bare],
                   "commands": raw_cmds}, f, indent=1)
    with open(args.csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "run", "seq", "intended_ms_from_command_start", "send_lag_ms", "latency_ms", "status",
                    "error", "body"])
        w.writerows(all_rows)
    print("\n".join(md))


# ---------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("free-port")
    lp = sub.add_parser("load")
    lp.add_argument("--port", type=int, required=True)
    lp.add_argument("--out", required=True)
    lp.add_argument("--ready", required=True)
    lp.add_argument("--interval-ms", type=float, default=20)
    lp.add_argument("--timeout", type=float, default=2)
    lp.add_argument("--max-seconds", type=float, default=900)
    rp = sub.add_parser("run")
    rp.add_argument("--out", required=True)
    rp.add_argument("--timeout", type=float, default=600)
    rp.add_argument("--quiet", action="store_true")
    rp.add_argument("command", nargs=argparse.REMAINDER)
    cp = sub.add_parser("compose-up")
    cp.add_argument("--project", required=True)
    cp.add_argument("--file", required=True)
    cp.add_argument("--services", type=int, required=True)
    cp.add_argument("--out", required=True)
    cp.add_argument("--timeout", type=float, default=300)
    wp = sub.add_parser("wait-release")
    wp.add_argument("--port", type=int, required=True)
    wp.add_argument("--release", required=True)
    wp.add_argument("--timeout", type=float, default=60)
    op = sub.add_parser("report")
    for a in ("--raw", "--md", "--json", "--csv"):
        op.add_argument(a, required=True)
    a = p.parse_args()
    if a.cmd == "free-port":
        print(free_port())
        return 0
    if a.cmd == "load":
        asyncio.run(load(a))
        return 0
    if a.cmd == "run":
        return run_command(a)
    if a.cmd == "compose-up":
        return compose_up(a)
    if a.cmd == "wait-release":
        return wait_release(a)
    if a.cmd == "report":
        report(a)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
