#!/usr/bin/env bash
# Whole-process figures for `interdict batch`: the dev evaluation set once
# (list loading included) and twenty times over (steady rate), with the
# official scorer's output. Reads ../shared/eval beside the repository.
# usage: bench/batch.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
eval_dir=../shared/eval
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {   # run LABEL QUERIES
  local start end n
  n=$(($(wc -l < "$2") - 1))
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$tmp/rss" "$build"/interdict batch "$2" > "$tmp/out.jsonl" 2>/dev/null || [ $? -eq 3 ]
  end=$(date +%s.%N)
  python3 - "$1" "$n" "$start" "$end" "$(cat "$tmp/rss")" <<'PY'
import sys
label, n, a, b, rss = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"{label}: queries={n} seconds={b - a:.2f} queries_per_second={n / (b - a):.0f} peak_rss_mb={rss / 1024:.1f}")
PY
}

run "batch dev set" "$eval_dir/dev/queries.csv"
python3 "$eval_dir/score.py" "$eval_dir/dev/expected.csv" "$tmp/out.jsonl" | tail -n 1
python3 - "$eval_dir/dev/queries.csv" "$tmp/q20.csv" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(lines[0] + "\n")
    for k in range(20):
        for l in lines[1:]:
            f.write(f"r{k}{l}\n")
PY
run "batch dev set x20" "$tmp/q20.csv"
