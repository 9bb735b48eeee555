#!/usr/bin/env bash
# Benchmark G: a coach's roster of 200 athletes (bench/README.md). A synthetic club made by
# Soleus's own use cases (crates/app/examples/club.rs), then the roster page and document
# under load from wrk on loopback, beside the same roster when no stored row holds (every
# row computed from the athlete's history, as the roster did before migration 0013).
# Usage: bench/roster.sh   (needs cargo, python3, curl; installs wrk from Debian when missing)
# Knobs: ATHLETES (200), WEEKS (26), RUNS_PER_WEEK (3), SOLEUS_BIN (a prebuilt soleus),
# SOLEUS_BENCH_PG_URL (a PostgreSQL server URL: the same on a fresh database there).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
mkdir -p "$out"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
if [ -z "${SOLEUS_BIN:-}" ]; then
    (cd "$root" && cargo build --quiet --release -p soleus-cli)
    SOLEUS_BIN="$CARGO_TARGET_DIR/release/soleus"
fi
(cd "$root" && cargo build --quiet --release -p soleus-app --example club)
club="$CARGO_TARGET_DIR/release/examples/club"
: > "$out/roster-config.toml"
{
    echo "# Benchmark G, run $(date -u +%Y-%m-%dT%H:%MZ) at $(git -C "$root" rev-parse --short HEAD)"
    echo
    python3 "$here/roster_bench.py" "$SOLEUS_BIN" "$club" "$out" "$out/roster-config.toml" \
        "${ATHLETES:-200}" "${WEEKS:-26}" "${RUNS_PER_WEEK:-3}" "${SOLEUS_BENCH_PG_URL:-}"
} | tee "$out/roster-results.md"
