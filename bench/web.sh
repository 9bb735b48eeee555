#!/usr/bin/env bash
# Benchmark E: the web app beside the CLI (bench/README.md): the dashboard of a long history
# under load from wrk on loopback, and an uploaded export against `soleus import`.
# Usage: bench/web.sh   (needs cargo, python3, curl; installs wrk from Debian when missing)
# Knobs: HISTORY_MB (75: about 10 years of the generator's history), UPLOAD_MB (100),
# SOLEUS_BIN (a prebuilt soleus).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
mkdir -p "$out"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
if [ -z "${SOLEUS_BIN:-}" ]; then
    cargo build --quiet --release --manifest-path "$here/../Cargo.toml" -p soleus-cli
    SOLEUS_BIN="$CARGO_TARGET_DIR/release/soleus"
fi
cargo build --quiet --release --manifest-path "$here/decode-bench/Cargo.toml"
bench="$CARGO_TARGET_DIR/release/soleus-decode-bench"
history_mb="${HISTORY_MB:-75}"
upload_mb="${UPLOAD_MB:-100}"
for pair in "history:$history_mb" "upload:$upload_mb"; do
    name="${pair%%:*}"; mb="${pair#*:}"
    zip="$out/web-$name.zip"
    if [ ! -f "$zip" ] || [ "$(cat "$zip.mb" 2>/dev/null)" != "$mb" ]; then
        "$bench" export "$zip" "$mb" > /dev/null
        echo "$mb" > "$zip.mb"
    fi
done
# An empty config, so no personal settings change the runs.
: > "$out/web-config.toml"
{
    echo "# Benchmark E, run $(date -u +%Y-%m-%dT%H:%MZ) at $(git -C "$here/.." rev-parse --short HEAD)"
    echo
    python3 "$here/web_bench.py" "$SOLEUS_BIN" "$out/web-history.zip" "$out/web-upload.zip" "$out" "$out/web-config.toml"
} | tee "$out/web-results.md"
