"""Times `soleus load --json` as a person runs it, the whole process: start, opening the
database, reading every summary, computing and printing. Benchmark D of bench/README.md.

Usage: python3 time_load.py SOLEUS_BIN DB CONFIG [RUNS]
Prints: activities, years of history, median and fastest milliseconds over RUNS (11) runs.
"""

import sqlite3
import statistics
import subprocess
import sys
import time


def main(bin_path: str, db: str, config: str, runs: int) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n, lo, hi = con.execute("SELECT count(*), min(start_ms), max(start_ms) FROM activities").fetchone()
    con.close()
    cmd = [bin_path, "--db", f"sqlite:{db}", "--config", config, "load", "--json"]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            sys.exit(f"soleus load failed: {done.stderr.decode(errors='replace')}")
    years = (hi - lo) / 1000 / 86400 / 365.25
    print(f"{n} {years:.1f} {statistics.median(times) * 1e3:.1f} {min(times) * 1e3:.1f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 11)
