#!/usr/bin/env bash
# The OFAC lists from the command line: the CSV set and sdn.xml load through
# --list like any other list.
# usage: ofac.sh INTERDICT TEST_DATA_DIR
set -u
bin=$1
data=$2/ofac
fail=0
pass=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/interdict-ofac-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
expect() {   # expect DESCRIPTION WANTED_STATUS COMMAND...
  local what=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  | /' "$tmp/out" | head -20
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
same() {     # same DESCRIPTION GOT WANTED
  if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', wanted '$3'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
}
first_hit() { "$bin" screen "$@" --json | python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print(h[0]["list"] + " " + h[0]["ref"] if h else "")'; }

expect "lists show csv" 0 "$bin" lists show --list "$data/sdn.csv"
case "$(cat "$tmp/out")" in *ofac*"36 entries"*) pass=$((pass + 1)) ;; *) echo "FAIL: lists show csv: $(cat "$tmp/out")"; fail=$((fail + 1)) ;; esac
expect "lists show xml" 0 "$bin" lists show --list "$data/sdn.xml"
case "$(cat "$tmp/out")" in *ofac*2025-03-14*"8 entries"*) pass=$((pass + 1)) ;; *) echo "FAIL: lists show xml: $(cat "$tmp/out")"; fail=$((fail + 1)) ;; esac
same "lists show json" "$("$bin" lists show --json --list "$data/sdn.csv" --list "$data/cons_prim.csv" |
  python3 -c 'import json,sys; print(" ".join("%s:%d" % (l["list"], l["entries"]) for l in json.load(sys.stdin)["lists"]))')" \
  "ofac:36 ofac-cons:10"

expect "alert exits 4" 4 "$bin" screen "Osama bin Laden" --list "$data/sdn.csv"
expect "no alert exits 0" 0 "$bin" screen "Jane Smith" --list "$data/sdn.csv"
same "csv alias" "$(first_hit "Osama bin Laden" --list "$data/sdn.csv")" "ofac 6365"
same "xml alias" "$(first_hit "Usama Bin Ladin" --dob 1957 --list "$data/sdn.xml")" "ofac 6365"
same "weak alias" "$(first_hit "BNC" --list "$data/sdn.csv")" "ofac 306"
same "consolidated" "$(first_hit "Ismail Haniya" --list "$data/cons_prim.csv" --list "$data/sdn.csv")" "ofac-cons 9639"

# the side files must be there
cp "$data/sdn.csv" "$tmp/sdn.csv"
expect "missing side file" 1 "$bin" lists show --list "$tmp/sdn.csv"
case "$(cat "$tmp/out")" in *add.csv*) pass=$((pass + 1)) ;; *) echo "FAIL: missing side file not named: $(cat "$tmp/out")"; fail=$((fail + 1)) ;; esac

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
