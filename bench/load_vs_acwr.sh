#!/usr/bin/env bash
# Benchmark C: every daily load metric over a 20-year history (about 5,000 runs), Soleus's
# compute_days against the `acwr` package (PyPI) on the same series, read from one CSV.
# Usage: bench/load_vs_acwr.sh   (from anywhere; needs cargo and python3; installs acwr if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/out"
mkdir -p "$out"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$out/target}"
python3 -c "import acwr" 2>/dev/null || python3 -m pip install --quiet acwr

manifest="$here/decode-bench/Cargo.toml"
cargo build --quiet --release --manifest-path "$manifest" --example load_days
bin="$CARGO_TARGET_DIR/release/examples/load_days"
csv="$out/load-20y.csv"
"$bin" gen "$csv"

rust="$("$bin" time "$csv" 201)"
py="$(python3 "$here/load_vs_acwr.py" "$csv" 21)"
get() { printf '%s\n' "$1" | sed -n "s/^$2=//p"; }
rs=$(get "$rust" seconds); ps=$(get "$py" seconds); days=$(get "$rust" days)

echo
echo "| | Soleus compute_days | acwr package |"
echo "|---|---|---|"
for k in days sum_rac sum_rau sum_ewma sum_monotony sum_strain; do
    echo "| $k | $(get "$rust" $k) | $(get "$py" $k) |"
done
awk -v r="$rs" -v p="$ps" -v d="$days" 'BEGIN {
    y = d / 365.25
    printf "| median time, all days (ms) | %.3f | %.3f |\n", r * 1e3, p * 1e3
    printf "| per year of history (µs) | %.2f | %.1f |\n", r * 1e6 / y, p * 1e6 / y
    printf "\nSoleus is %.0f× faster than the acwr package (goal: at least 50×).\n", p / r
}'
echo "(Soleus also computes CTL, ATL, TSB and ramp in that time; the acwr side computes only the three ratios, monotony and strain.)"
