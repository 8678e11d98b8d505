#!/usr/bin/env bash
# Whole-process figures for `interdict batch`: the dev evaluation set once
# (list loading included) and twenty times over (steady rate), with the
# official scorer's output. Each is run several times (RUNS, default 9;
# RUNS_X20, default 3): a single run of a fifth of a second varies by a
# quarter with what else the machine does, so the median is reported with
# the range. Reads ../shared/eval beside the repository.
# usage: bench/batch.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
eval_dir=../shared/eval
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {   # run LABEL QUERIES RUNS: the median of RUNS whole runs, and their range
  local n k
  n=$(($(wc -l < "$2") - 1))
  : > "$tmp/times"
  for k in $(seq "$3"); do
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o "$tmp/rss" "$build"/interdict batch "$2" > "$tmp/out.jsonl" 2>/dev/null ||
      [ $? -eq 3 ]
    end=$(date +%s.%N)
    echo "$start $end $(cat "$tmp/rss")" >> "$tmp/times"
  done
  python3 - "$1" "$n" "$tmp/times" <<'PY'
import statistics, sys
label, n = sys.argv[1], int(sys.argv[2])
runs = [tuple(map(float, l.split())) for l in open(sys.argv[3])]
secs = sorted(b - a for a, b, _ in runs)
rss = max(r for _, _, r in runs)
med = statistics.median(secs)
print(f"{label}: queries={n} runs={len(secs)} median_seconds={med:.3f} "
      f"queries_per_second={n / med:.0f} (runs {n / secs[-1]:.0f}..{n / secs[0]:.0f}) "
      f"peak_rss_mb={rss / 1024:.1f}")
PY
}

run "batch dev set" "$eval_dir/dev/queries.csv" "${RUNS:-9}"
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
run "batch dev set x20" "$tmp/q20.csv" "${RUNS_X20:-3}"
