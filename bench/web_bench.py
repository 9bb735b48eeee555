"""Benchmark E: the web app against the CLI, side by side in one run.

1. The dashboard of a long history, as HTML and as JSON, under load from `wrk` on loopback
   (latency percentiles), beside `soleus risk --json` (the heaviest part of the same view)
   run as a process; then the dashboard document right after each of 31 changes to the runs,
   when the load summaries the server keeps cannot answer and are read again.
2. A Strava-like export uploaded to `POST /api/v1/import` and imported in the background,
   against `soleus import` of the same zip into a fresh database.

Usage: python3 web_bench.py SOLEUS_BIN HISTORY_ZIP UPLOAD_ZIP OUT_DIR CONFIG
Prints a Markdown report. Needs `wrk` and `curl`.
"""

import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request

import serving
from serving import run, stop

PORT = 18291


def wrk(url, seconds=15, connections=4):
    return serving.wrk(url, seconds, connections)


def after_a_change(port, activity, path, runs=31):
    """The dashboard asked right after a change to what it is read from (the run's RPE set,
    which changes the athlete's load revision), so no summaries kept from before can answer:
    the milliseconds of each such request."""
    times = []
    for i in range(runs):
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/activities/{activity}/rpe",
            data=json.dumps({"rpe": 4 + i % 2}).encode(),
            headers={"content-type": "application/json"},
            method="POST",
        )
        urllib.request.urlopen(req, timeout=30).read()
        t0 = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def timed(cmd, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def upload(port, zip_path):
    t0 = time.perf_counter()
    out = run([
        "curl", "-s", "-D", "-", "-o", "/dev/null", "-F", f"files=@{zip_path}",
        f"http://127.0.0.1:{port}/api/v1/import",
    ]).stdout
    m = re.search(r"^location: (\S+)", out, re.M | re.I)
    if not m:
        return None, f"no job: {out.splitlines()[:1]}"
    while True:
        doc = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}{m.group(1)}"))
        if doc["done"]:
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    if doc["state"] != "done":
        return None, doc.get("message", "failed")
    return seconds, doc["report"]["imported"]


def main(bin_path, history_zip, upload_zip, out, config):
    db = os.path.join(out, "web-history.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    run([bin_path, "--db", f"sqlite:{db}", "--config", config, "import", "--json", history_zip])
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n, lo, hi = con.execute("SELECT count(*), min(start_ms), max(start_ms) FROM activities").fetchone()
    (first_run,) = con.execute("SELECT min(id) FROM activities").fetchone()
    con.close()
    last = time.strftime("%Y-%m-%d", time.gmtime(hi / 1000))
    years = (hi - lo) / 1000 / 86400 / 365.25

    server = serving.serve(bin_path, f"sqlite:{db}", config, PORT)
    try:
        rows = []
        for label, path in (("dashboard page (HTML)", f"/?on={last}"), ("dashboard document (JSON)", f"/api/v1/dashboard?on={last}"), ("risk document (JSON)", f"/api/v1/risk?on={last}")):
            pct, rps, bad = wrk(f"http://127.0.0.1:{PORT}{path}")
            rows.append((label, pct, rps, bad))
        cold = after_a_change(PORT, first_run, f"/api/v1/dashboard?on={last}")
    finally:
        stop(server)
    cli_risk = timed([bin_path, "--db", f"sqlite:{db}", "--config", config, "risk", "--json", "--on", last], 11)

    # Upload against CLI import, each into a fresh database, interleaved twice.
    size_mb = os.path.getsize(upload_zip) / 1e6
    web_s, cli_s, web_note = [], [], ""
    for i in range(2):
        fresh = os.path.join(out, f"web-upload-{i}.db")
        for f in (fresh, fresh + "-wal", fresh + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        server = serving.serve(bin_path, f"sqlite:{fresh}", config, PORT + 1)
        try:
            s, note = upload(PORT + 1, upload_zip)
        finally:
            stop(server)
        if s is None:
            web_note = str(note)
        else:
            web_s.append(s)
        fresh_cli = os.path.join(out, f"cli-upload-{i}.db")
        for f in (fresh_cli, fresh_cli + "-wal", fresh_cli + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        t0 = time.perf_counter()
        run([bin_path, "--db", f"sqlite:{fresh_cli}", "--config", config, "import", "--json", upload_zip])
        cli_s.append(time.perf_counter() - t0)

    print(f"History: {n} activities over {years:.1f} years (to {last}); loopback, wrk -t2 -c4 -d15s.\n")
    print("| request | p50 | p90 | p99 | requests/s | non-2xx |")
    print("|---|---|---|---|---|---|")
    for label, pct, rps, bad in rows:
        print(f"| {label} | {pct.get('50', 0):.1f} ms | {pct.get('90', 0):.1f} ms | **{pct.get('99', 0):.1f} ms** | {rps:.0f} | {bad} |")
    print(f"| `soleus risk --json`, the whole process (median of 11) | {cli_risk:.1f} ms | | | | |")
    print()
    print(f"The dashboard document right after a change to the runs (an RPE set before each of "
          f"{len(cold)} requests, one at a time, so the summaries are read again): median "
          f"{statistics.median(cold):.1f} ms, slowest {max(cold):.1f} ms.")
    print()
    print(f"Upload of a {size_mb:.0f} MB export (median of 2, each into a fresh database):\n")
    print("| path | seconds | MB/s |")
    print("|---|---|---|")
    c = statistics.median(cli_s)
    print(f"| `soleus import` | {c:.1f} | {size_mb / c:.1f} |")
    if web_s:
        w = statistics.median(web_s)
        print(f"| upload to `POST /api/v1/import`, until the job is done | {w:.1f} | {size_mb / w:.1f} |")
        print(f"\nThe upload imports at **{c / w * 100:.0f} %** of the CLI's speed (goal: at least 80 %).")
    else:
        print(f"| upload to `POST /api/v1/import` | failed: {web_note} | — |")


if __name__ == "__main__":
    main(*sys.argv[1:6])
