#!/usr/bin/env bash
# Every list at once at the EU and UK lists' real scale: generates synthetic EU (FSF XML)
# and UK (FCDO XML) lists from the real UN and OFAC SDN files (bench/gen_lists.py), then
# runs bench_lists over the UN list, OFAC SDN, OFAC consolidated and the two generated
# files with the dev queries, and the cross-list check on a sample of UN-listed parties
# (their EU spelling screened against all lists: found when the first hit groups the UN
# entry with its EU and UK records). Reads ../shared beside the repository (or
# $SHARED_DIR); the generated files go to a temporary folder, removed at the end.
# usage: bench/lists.sh [--repeat N] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=1
if [ "${1:-}" = "--repeat" ]; then
  repeat=$2
  shift 2
fi
build=${1:-build}
shared=${SHARED_DIR:-../shared}
queries=$shared/eval/dev/queries.csv
un=data/un/consolidated.xml
sdn=$shared/data/ofac/sdn.csv
cons=$shared/data/ofac/cons_prim.csv
for f in "$build/bench/bench_lists" "$queries" "$un" "$sdn" "$cons"; do
  [ -e "$f" ] || { echo "lists.sh: $f not found" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 bench/gen_lists.py --un "$un" --sdn "$sdn" --eu-out "$tmp/eu_fsf.xml" \
  --uk-out "$tmp/uk_sanctions_list.xml" --check-out "$tmp/cross_list.csv" 2>&1
"$build/bench/bench_lists" --repeat "$repeat" --cross-check "$tmp/cross_list.csv" "$queries" \
  "$un" "$sdn" "$cons" "$tmp/eu_fsf.xml" "$tmp/uk_sanctions_list.xml"
