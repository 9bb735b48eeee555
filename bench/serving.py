"""What the web benchmarks share: running a command, serving a database with `soleus serve`
on loopback, stopping it, and reading `wrk --latency`'s percentiles."""

import re
import subprocess
import sys
import time
import urllib.request


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def serve(bin_path, url, config, port):
    """`soleus serve` of the database `url` names, once its /healthz answers."""
    p = subprocess.Popen(
        [bin_path, "--db", url, "--config", config, "serve", "--addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(400):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return p
        except OSError:
            time.sleep(0.05)
    p.kill()
    sys.exit("the server did not answer")


def stop(p):
    p.terminate()
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()


def wrk(url, seconds, connections, headers=()):
    """Latency percentiles (ms, by "50", "75", "90", "99"), requests per second, and how many
    answers were not 2xx or 3xx."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = run(cmd + [url]).stdout
    pct = {}
    for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(3)]
        pct[m.group(1)] = float(m.group(2)) * scale
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not rps:
        sys.exit(f"wrk printed no rate for {url}:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return pct, float(rps.group(1)), int(errors.group(1)) if errors else 0
