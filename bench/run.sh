#!/usr/bin/env bash
# Benchmarks A (decode speed against fitparser, rustyfit, gpx and tcx; import vs decode time) and
# B (peak memory and rate importing a large Strava-like export zip). See bench/README.md.
#
# Usage: bench/run.sh [CORPUS_DIR]         (default: ../shared/corpus beside the repository)
# Environment: ROUNDS (corpus passes, default 5), LONG_ROUNDS (3), LONG_MB (100),
#   EXPORT_MB (size of the export zip, default 2048; 0 skips B), SKIP_A (set: run only B), SOLEUS_BIN (a prebuilt
#   `soleus`; default: built here from the workspace), CARGO_TARGET_DIR (default bench/out/target).
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
    rm -f "$out"/export.db*
    /usr/bin/time -v "$SOLEUS_BIN" --db "sqlite:$out/export.db" --config "$out/bench-config.toml" \
        import --json "$zip" > "$out/export-import.json" 2> "$out/export-time.txt" || true
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/export-time.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/export-time.txt")
    zip_bytes=$(stat -c %s "$zip")
    db_bytes=$(du -cb "$out"/export.db* | tail -1 | cut -f1)
    say ""
    say "## Importing a large Strava-like export"
    say ""
    awk -v rss="$rss_kb" -v wall="$wall" -v zb="$zip_bytes" -v n="$files" -v db="$db_bytes" 'BEGIN {
        k = split(wall, p, ":"); s = 0; for (i = 1; i <= k; i++) s = s * 60 + p[i]
        printf "| zip | activity files | wall time | peak RSS | peak RSS ÷ zip | rate | database |\n"
        printf "|---|---|---|---|---|---|---|\n"
        printf "| %.0f MB | %d | %.0f s | %.0f MB | %.3f | %.1f MB/s, %.0f files/s | %.0f MB |\n",
            zb / 1e6, n, s, rss / 1e3, rss * 1e3 / zb, zb / 1e6 / s, n / s, db / 1e6
    }' | tee -a "$results"
fi
echo "results written to $results"
