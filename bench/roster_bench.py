"""Benchmark G: a coach's roster of many athletes, with the stored rows and without.

1. A synthetic club (the `club` example): ATHLETES athletes sharing with one coach, WEEKS of
   runs each, weekly check-ins over the last four weeks, a comment each.
2. `soleus serve` over it; the coach signs in through the JSON API.
3. `GET /roster` (HTML) and `GET /api/v1/roster` under load from `wrk` (latency percentiles),
   the roster's rows read from `athlete_facts`.
4. Side by side, the same document when no stored row holds: before each request the rows'
   validity is ended by SQL, so every row is computed from the athlete's history (what the
   roster did before migration 0013), timed request by request with curl.

Usage: python3 roster_bench.py SOLEUS_BIN CLUB_BIN OUT_DIR CONFIG ATHLETES WEEKS RUNS [PG_URL]
Prints a Markdown report. Needs `wrk` and `curl`.
"""

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import urllib.request

import serving
from serving import run, serve, stop

PORT = 18293
PASSWORD = "bench club password"


def sign_in(port, email):
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/login",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        cookie = r.headers.get("Set-Cookie")
    return cookie.split(";", 1)[0]


def wrk(url, cookie, seconds=10, connections=2):
    return serving.wrk(url, seconds, connections, headers=[f"Cookie: {cookie}"])


def curl_ms(url, cookie):
    out = run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "-H", f"Cookie: {cookie}", url]).stdout
    code, t = out.split()
    if code != "200":
        sys.exit(f"{url} answered {code}")
    return float(t) * 1000.0


def expire(url):
    """Ends every stored roster row's validity, by SQL beside the server."""
    sql = "UPDATE athlete_facts SET valid_until_ms = 0"
    if url.startswith("sqlite:"):
        c = sqlite3.connect(url[len("sqlite:"):])
        c.execute(sql)
        c.commit()
        c.close()
    else:
        run(["psql", "-q", url, "-c", sql])


def bench(backend, url, soleus, club, config, athletes, weeks, runs_per_week):
    made = json.loads(
        run([club, url, "--athletes", str(athletes), "--coaches", "1", "--clinicians", "1",
             "--weeks", str(weeks), "--runs-per-week", str(runs_per_week)]).stdout
    )
    p = serve(soleus, url, config, PORT)
    try:
        cookie = sign_in(PORT, "coach0@club.invalid")
        base = f"http://127.0.0.1:{PORT}"
        doc = json.loads(
            urllib.request.urlopen(
                urllib.request.Request(f"{base}/api/v1/roster", headers={"Cookie": cookie}), timeout=600
            ).read()
        )
        rows = len(doc["athletes"])
        if rows != athletes:
            sys.exit(f"the roster has {rows} rows, not {athletes}")
        page, page_rps, page_bad = wrk(f"{base}/roster", cookie)
        api, api_rps, api_bad = wrk(f"{base}/api/v1/roster", cookie)
        cold = []
        for _ in range(5):
            expire(url)
            cold.append(curl_ms(f"{base}/api/v1/roster", cookie))
        # The last cold request stored every row again: one warm request to show it.
        warm_after = curl_ms(f"{base}/api/v1/roster", cookie)
    finally:
        stop(p)
    return made, rows, (page, page_rps, page_bad), (api, api_rps, api_bad), cold, warm_after


def main():
    soleus, club, out, config = sys.argv[1:5]
    athletes, weeks, runs_per_week = (int(x) for x in sys.argv[5:8])
    pg = sys.argv[8] if len(sys.argv) > 8 else ""
    targets = []
    db = os.path.join(out, "roster.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    targets.append(("SQLite", f"sqlite:{db}"))
    if pg:
        name = f"soleus_roster_bench_{os.getpid()}"
        run(["psql", "-q", pg, "-c", f"CREATE DATABASE {name}"])
        base = pg.rsplit("/", 1)[0]
        targets.append(("PostgreSQL", f"{base}/{name}"))
    print(f"## G. A coach's roster of {athletes} athletes ({os.cpu_count()} cores)")
    print()
    print(
        f"Each athlete: {weeks} weeks of {runs_per_week} runs a week (GPX, a fix every 25 s), "
        "weekly check-ins over the last four weeks, one comment; every fifth also shares with "
        "a clinician. wrk: 2 threads, 2 connections, 10 s per row."
    )
    print()
    print("| Backend | Made (athletes, runs, s) | Roster page p50 / p99 ms | Roster JSON p50 / p99 ms | req/s (page, JSON) | Every row computed again: median ms (5 requests) | Ratio to stored rows (JSON p50) |")
    print("|---|---|---|---|---|---|---|")
    for backend, url in targets:
        try:
            made, rows, page, api, cold, warm_after = bench(
                backend, url, soleus, club, config, athletes, weeks, runs_per_week
            )
        except (subprocess.CalledProcessError, SystemExit) as e:
            print(f"| {backend} | failed: {e} | | | | | |")
            continue
        finally:
            if backend == "PostgreSQL":
                run(["psql", "-q", pg, "-c", f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)"])
        (pp, prps, pbad), (ap, arps, abad) = page, api
        bad = "" if pbad + abad == 0 else f" ({pbad + abad} non-2xx)"
        cold_med = statistics.median(cold)
        ratio = cold_med / ap["50"] if ap.get("50") else float("nan")
        print(
            f"| {backend} | {made['athletes']}, {made['runs']}, {made['seconds']:.0f} | "
            f"{pp['50']:.1f} / {pp['99']:.1f} | {ap['50']:.1f} / {ap['99']:.1f} | "
            f"{prps:.0f}, {arps:.0f}{bad} | {cold_med:.0f} | {ratio:.0f}× |"
        )
    print()
    print("Goal (issue 12): 200 athletes render in under 150 ms.")


if __name__ == "__main__":
    main()
