"""The SQLite floor for benchmark B: stores every activity file of an export zip in SQLite with
no decoding at all, the way Soleus stores it (WAL, synchronous NORMAL, one transaction per
file; a files row with the original bytes and their SHA-256, and an activities row with a
blob as large as the original standing in for the encoded samples, found first by the same
bounded overlap query). What Soleus adds on top of this is its own work.

Usage: python3 sqlite_floor.py EXPORT.zip DB
Prints: files, seconds, MB/s, files/s, and files/s over the first and last tenth.
"""

import hashlib
import sqlite3
import sys
import time
import zipfile

SPAN = 14 * 24 * 3_600_000


def main(zip_path: str, db_path: str) -> None:
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE files (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL "
        "UNIQUE, size INTEGER NOT NULL, bytes BLOB NOT NULL)"
    )
    db.execute(
        "CREATE TABLE activities (id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, "
        "start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, samples BLOB NOT NULL)"
    )
    db.execute("CREATE INDEX activities_start ON activities (start_ms)")
    t0 = time.perf_counter()
    total, stamps = 0, []
    with zipfile.ZipFile(zip_path) as z:
        names = [n for n in z.namelist() if n.endswith(".gz")]
        for k, name in enumerate(names):
            data = z.read(name)
            total += len(data)
            digest = hashlib.sha256(data).hexdigest()
            start = k * 4 * 3_600_000
            end = start + 3_600_000
            db.execute("BEGIN IMMEDIATE")
            if db.execute("SELECT id FROM files WHERE sha256 = ?", (digest,)).fetchone():
                db.execute("ROLLBACK")
                continue
            db.execute(
                "SELECT id FROM activities WHERE start_ms >= ? AND start_ms <= ? AND end_ms >= ?",
                (start - SPAN, end, start),
            ).fetchall()
            cur = db.execute(
                "INSERT INTO files (name, sha256, size, bytes) VALUES (?, ?, ?, ?)",
                (name, digest, len(data), data),
            )
            db.execute(
                "INSERT INTO activities (file_id, start_ms, end_ms, samples) VALUES (?, ?, ?, ?)",
                (cur.lastrowid, start, end, data),
            )
            db.execute("COMMIT")
            stamps.append(time.perf_counter())
    secs = time.perf_counter() - t0
    n = len(stamps)
    tenth = max(n // 10, 1)
    first = tenth / (stamps[tenth - 1] - t0)
    last = tenth / (stamps[-1] - stamps[-tenth - 1])
    print(f"{n} {secs:.2f} {total / 1e6 / secs:.1f} {n / secs:.0f} {first:.0f} {last:.0f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
