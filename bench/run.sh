#!/usr/bin/env bash
# Benchmarks A (decode speed against fitparser, rustyfit, gpx and tcx; import vs decode time) and
# B (peak memory and rate importing a large Strava-like export zip). See bench/README.md.
#
# Usage: bench/run.sh [CORPUS_DIR]         (default: ../shared/corpus beside the repository)
# Environment: ROUNDS (corpus passes, default 5), LONG_ROUNDS (3), LONG_MB (100),
#   EXPORT_MB (size of the export zip, default 2048; 0 skips B), SKIP_A (set: run only B), SOLEUS_BIN (a prebuilt
#   `soleus`; default: built here from the workspace), CARGO_TARGET_DIR (default bench/out/target),
#   SOLEUS_BENCH_PG_URL (a PostgreSQL server URL, database part included: B also imports into a
#   fresh database created there, and drops it after), LOAD_RUNS (D's runs of `soleus load`,
#   default 11; 0 skips D).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpus="$(cd "${1:-$root/../shared/corpus}" && pwd)"
out="$here/out"
mkdir -p "$out"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}"
results="$out/results.md"
: > "$results"
: > "$out/bench-config.toml"  # an empty config, so no personal settings change the runs
say() { printf '%s\n' "$*" | tee -a "$results"; }

cargo build --quiet --release --manifest-path "$here/decode-bench/Cargo.toml"
bench="$CARGO_TARGET_DIR/release/soleus-decode-bench"
if [ -z "${SOLEUS_BIN:-}" ]; then
    (cd "$root" && cargo build --quiet --release -p soleus-cli)
    SOLEUS_BIN="$CARGO_TARGET_DIR/release/soleus"
fi

if [ -z "${SKIP_A:-}" ]; then
say "## Decoding ($(date -u +%Y-%m-%d), $(nproc) cores; median of ${ROUNDS:-5} corpus passes, ${LONG_ROUNDS:-3} long-input passes)"
say ""
"$bench" decode "$corpus" "$out" "${ROUNDS:-5}" "${LONG_ROUNDS:-3}" "${LONG_MB:-100}" \
    2> "$out/decode-failures.txt" | tee -a "$results"
rm -f "$out"/corpus-*.bin "$out"/long.fit "$out"/long.gpx
say ""
say "## Import into SQLite against decode only"
say ""
"$bench" import "$corpus" "$SOLEUS_BIN" "$out" 3 | tee -a "$results"
fi

export_mb="${EXPORT_MB:-2048}"
if [ "$export_mb" -gt 0 ]; then
    if [ ! -x /usr/bin/time ]; then
        apt-get install -y -qq time > /dev/null || { echo "B needs /usr/bin/time (Debian package 'time')"; exit 1; }
    fi
    zip="$out/strava-export.zip"
    if [ ! -f "$zip" ] || [ "$(cat "$out/strava-export.mb" 2>/dev/null)" != "$export_mb" ]; then
        "$bench" export "$zip" "$export_mb" | tee "$out/strava-export.txt"
        echo "$export_mb" > "$out/strava-export.mb"
    fi
    files=$(sed -n 's/^\([0-9]*\) activity files.*/\1/p' "$out/strava-export.txt")
    zip_bytes=$(stat -c %s "$zip")
    rm -f "$out"/export.db* "$out"/floor.db* "$out/export-pg-rss.txt"
    # Side by side, one after the other on the same zip: the SQLite floor (no decoding), the
    # import (its rate followed as it goes), the same import again (all duplicates) against
    # hashing the zip's bytes, and the import into PostgreSQL when SOLEUS_BENCH_PG_URL is set.
    # Each tool's exit status is kept: a row whose tool failed says so instead of a speed.
    floor_rc=0
    floor=$(python3 "$here/sqlite_floor.py" "$zip" "$out/floor.db") || floor_rc=$?
    /usr/bin/time -v "$SOLEUS_BIN" --db "sqlite:$out/export.db" --config "$out/bench-config.toml" \
        import --json "$zip" > "$out/export-import.json" 2> "$out/export-time.txt" &
    pid=$!
    tenths=$(python3 "$here/poll_rate.py" "$out/export.db" "$pid")
    import_rc=0
    wait "$pid" || import_rc=$?
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/export-time.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/export-time.txt")
    db_bytes=$(du -cb "$out"/export.db* | tail -1 | cut -f1)
    secs() { awk -v w="$1" 'BEGIN { k = split(w, p, ":"); s = 0; for (i = 1; i <= k; i++) s = s * 60 + p[i]; print s }'; }
    t0=$(date +%s.%N)
    reimport_rc=0
    "$SOLEUS_BIN" --db "sqlite:$out/export.db" --config "$out/bench-config.toml" \
        import --json "$zip" > "$out/export-reimport.json" || reimport_rc=$?
    t1=$(date +%s.%N)
    sha256sum "$zip" > /dev/null
    t2=$(date +%s.%N)
    pg="" pg_rc=0
    if [ -n "${SOLEUS_BENCH_PG_URL:-}" ]; then
        name="soleus_bench_$$"
        psql -q "$SOLEUS_BENCH_PG_URL" -c "CREATE DATABASE $name"
        pg_url="${SOLEUS_BENCH_PG_URL%/*}/$name"
        p0=$(date +%s.%N)
        /usr/bin/time -f "%M" -o "$out/export-pg-rss.txt" "$SOLEUS_BIN" --db "$pg_url" \
            --config "$out/bench-config.toml" import --json "$zip" > "$out/export-import-pg.json" || pg_rc=$?
        p1=$(date +%s.%N)
        # The overlap query's plan on the full database, for an activity in the middle.
        : > "$out/pg-overlap-plan.txt"
        if [ "$pg_rc" -eq 0 ]; then
            mid=$(psql -tA "$pg_url" -c "SELECT start_ms FROM activities ORDER BY start_ms \
                OFFSET (SELECT count(*) / 2 FROM activities) LIMIT 1")
            span=1209600000
            psql -tA "$pg_url" -c "ANALYZE activities" -c "EXPLAIN SELECT a.id FROM activities a \
                WHERE a.athlete_id = 1 AND a.start_ms >= $((mid - span)) AND a.start_ms <= $((mid + 3600000)) \
                AND a.end_ms >= $mid AND a.end_ms <= $((mid + 3600000 + span)) ORDER BY a.start_ms, a.id" \
                > "$out/pg-overlap-plan.txt"
        fi
        psql -q "$SOLEUS_BENCH_PG_URL" -c "DROP DATABASE $name WITH (FORCE)"
        pg=$(awk -v a="$p0" -v b="$p1" 'BEGIN { print b - a }')
    fi
    say ""
    say "## Importing a large Strava-like export"
    say ""
    pg_stored=$(grep -o '"imported": *[0-9]*' "$out/export-import-pg.json" 2>/dev/null | head -1 | grep -o "[0-9]*$" || true)
    awk -v rss="$rss_kb" -v wall="$(secs "$wall")" -v zb="$zip_bytes" -v n="$files" -v db="$db_bytes" \
        -v floor="$floor" -v tenths="$tenths" -v re="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" \
        -v hash="$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')" -v pg="$pg" \
        -v pgrss="$(tail -1 "$out/export-pg-rss.txt" 2>/dev/null || echo 0)" \
        -v floor_rc="$floor_rc" -v import_rc="$import_rc" -v reimport_rc="$reimport_rc" -v pg_rc="$pg_rc" \
        -v pg_stored="${pg_stored:-0}" \
        -v stored="$(grep -o '"imported": *[0-9]*' "$out/export-import.json" | head -1 | grep -o "[0-9]*$" || true)" \
        -v dups="$(grep -o '"duplicate": *[0-9]*' "$out/export-reimport.json" | head -1 | grep -o "[0-9]*$" || true)" '
    # A tool failed when it exited with an error or did not get through every file of the
    # export: its row says so, with no speed and no ratio.
    function failed(rc, done) {
        return sprintf("**failed** (exit status %d, %d of %d files)", rc, done, n)
    }
    BEGIN {
        split(floor, f, " "); split(tenths, t, " "); s = wall
        imp_ok = import_rc == 0 && stored + 0 == n + 0
        floor_ok = floor_rc == 0 && f[1] + 0 == n + 0
        re_ok = reimport_rc == 0 && dups + 0 == n + 0
        pg_ok = pg_rc == 0 && pg_stored + 0 == n + 0
        printf "| zip | activity files | imported | wall time | rate | first tenth | last tenth | last ÷ first | peak RSS | database |\n"
        printf "|---|---|---|---|---|---|---|---|---|---|\n"
        if (imp_ok)
            printf "| %.0f MB | %d | %d | %.1f s | **%.1f MB/s**, %.0f files/s | %d files/s | %d files/s | **%.2f** | **%.0f MB** | %.0f MB |\n",
                zb / 1e6, n, stored, s, zb / 1e6 / s, n / s, t[2], t[3], t[3] / t[2], rss / 1e3, db / 1e6
        else
            printf "| %.0f MB | %d | %s | %.1f s | — | — | — | — | %.0f MB | %.0f MB |\n",
                zb / 1e6, n, failed(import_rc, stored), s, rss / 1e3, db / 1e6
        if (t[4] > 0 && t[5] > 0 && t[1] > 0)
            printf "\nResident memory when a tenth of the files were stored: %.0f MB; at the last count, %d files: %.0f MB (%.2f kB a file more, %.0f MB per 100,000 files).\n",
                t[4] / 1e3, t[1], t[5] / 1e3, (t[5] - t[4]) / (t[1] * 0.9), (t[5] - t[4]) / (t[1] * 0.9) * 100
        printf "\n| compared with | seconds | rate | ratio |\n|---|---|---|---|\n"
        if (!floor_ok)
            printf "| SQLite floor (no decoding, `sqlite_floor.py`) | %s | — | — |\n", failed(floor_rc, f[1])
        else
            printf "| SQLite floor (no decoding, `sqlite_floor.py`) | %.1f | %.1f MB/s, %d files/s (tenths %d, %d) | import ÷ floor %s |\n",
                f[2], f[3], f[4], f[5], f[6], imp_ok ? sprintf("**%.2f×**", s / f[2]) : "— (the import failed)"
        if (re_ok)
            printf "| re-import of the same zip (%d duplicates) | %.2f | %.0f MB/s | re-import ÷ hashing **%.2f×** |\n",
                dups, re, zb / 1e6 / re, re / hash
        else
            printf "| re-import of the same zip | %s | — | — |\n", failed(reimport_rc, dups)
        printf "| `sha256sum` of the zip | %.2f | %.0f MB/s | — |\n", hash, zb / 1e6 / hash
        if (pg != "" && pg_ok)
            printf "| the import into PostgreSQL (peak RSS %.0f MB) | %.1f | %.1f MB/s | PostgreSQL ÷ SQLite %s |\n",
                pgrss / 1e3, pg, zb / 1e6 / pg, imp_ok ? sprintf("**%.2f×**", pg / s) : "— (the SQLite import failed)"
        else if (pg != "")
            printf "| the import into PostgreSQL | %s | — | — |\n", failed(pg_rc, pg_stored)
    }' | tee -a "$results"
    if [ -n "$pg" ] && [ -s "$out/pg-overlap-plan.txt" ]; then
        say ""
        say "PostgreSQL's plan for the overlap query (an activity in the middle of the database):"
        say ""
        sed 's/^/    /' "$out/pg-overlap-plan.txt" | tee -a "$results"
    fi
fi

# D: `soleus load --json` over 20 years of daily runs (the first 150 MB of the same generator
# cover 1990-2010, about 5,300 activities), the whole process as a person runs it.
if [ -n "${LOAD_RUNS:-11}" ] && [ "${LOAD_RUNS:-11}" -gt 0 ]; then
    if [ ! -f "$out/load-20y.zip" ]; then
        "$bench" export "$out/load-20y.zip" 150 > /dev/null
    fi
    rm -f "$out"/load-20y.db*
    "$SOLEUS_BIN" --db "sqlite:$out/load-20y.db" --config "$out/bench-config.toml" \
        import --json "$out/load-20y.zip" > /dev/null
    load=$(python3 "$here/time_load.py" "$SOLEUS_BIN" "$out/load-20y.db" "$out/bench-config.toml" "${LOAD_RUNS:-11}")
    say ""
    say "## soleus load --json, the whole process"
    say ""
    echo "$load" | awk '{
        printf "| activities | years | median of %s runs | fastest |\n|---|---|---|---|\n", runs
        printf "| %d | %.1f | **%.1f ms** | %.1f ms |\n", $1, $2, $3, $4
    }' runs="${LOAD_RUNS:-11}" | tee -a "$results"
fi
echo "results written to $results"
