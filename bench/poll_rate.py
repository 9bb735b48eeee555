"""Follows an import into SQLite: counts the stored files every half second while process PID
runs, then prints the import's rate over its first and its last tenth of files (files/s) and
the number of files, so a rate that falls as the database grows shows. It also reads the
resident memory of PID's child (PID is `/usr/bin/time`, which runs the import) at each count,
and prints it when the first tenth of the files were stored and at the last count (kB), so
memory that grows with the number of files shows as well.

Usage: python3 poll_rate.py DB PID
Prints: files, files/s over the first and the last tenth, resident kB at the first tenth and at
the end.
"""

import os
import sqlite3
import sys
import time


def count(db_path: str) -> int:
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM files").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return -1


def rss_kb(pid: int) -> int:
    """Resident memory of the process PID runs (its first child), or PID's own, in kB."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        target = int(kids[0]) if kids else pid
        with open(f"/proc/{target}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def when(samples, target):
    """The time the count reached `target`, interpolated between samples."""
    prev = samples[0]
    for s in samples:
        if s[1] >= target:
            if s[1] == prev[1]:
                return s[0]
            return prev[0] + (s[0] - prev[0]) * (target - prev[1]) / (s[1] - prev[1])
        prev = s
    return samples[-1][0]


def main(db_path: str, pid: int) -> None:
    t0 = time.perf_counter()
    samples = [(0.0, 0)]
    rss = []  # (files stored, resident kB)
    while os.path.exists(f"/proc/{pid}"):
        c = count(db_path)
        r = rss_kb(pid)
        if c >= 0:
            samples.append((time.perf_counter() - t0, c))
            if r > 0:
                rss.append((c, r))
        time.sleep(0.5)
    c = count(db_path)
    samples.append((time.perf_counter() - t0, max(c, samples[-1][1])))
    n = samples[-1][1]
    if n < 20:
        print(f"{n} 0 0 0 0")
        return
    tenth = n / 10
    first = tenth / when(samples, tenth)
    # The last file's time, not the poller's: the process may linger after it.
    t_end = when(samples, n)
    last = tenth / max(t_end - when(samples, n - tenth), 1e-9)
    at_tenth = next((r for c, r in rss if c >= tenth), 0)
    at_end = rss[-1][1] if rss else 0
    print(f"{n} {first:.0f} {last:.0f} {at_tenth} {at_end}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
