#!/usr/bin/env bash
# interdict screen / lists / normalize from the command line.
# usage: screen.sh INTERDICT TEST_DATA_DIR
set -u
bin=$1
fail=0
pass=0
expect() {   # expect DESCRIPTION WANTED_STATUS COMMAND...
  local what=$1 want=$2; shift 2
  "$@" >/tmp/interdict-cli.$$ 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  | /' /tmp/interdict-cli.$$ | head -20
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
first_ref() { "$bin" screen "$@" --json | python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print(h[0]["ref"] if h else "")'; }
same() {     # same DESCRIPTION GOT WANTED
  if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', wanted '$3'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
}

expect "alert exits 4" 4 "$bin" screen "Ayman al-Zawahiri"
expect "no alert exits 0" 0 "$bin" screen "Jane Smith"
expect "missing name" 2 "$bin" screen
expect "unknown option" 2 "$bin" screen "x" --frobnicate
expect "bad type" 2 "$bin" screen "x" --type robot
expect "bad threshold" 2 "$bin" screen "x" --threshold 7
expect "empty name" 1 "$bin" screen ""
expect "bad dob" 1 "$bin" screen "Ayman" --dob "next tuesday"
expect "missing list" 1 "$bin" screen "Ayman" --list /nonexistent/list.xml
expect "unknown command" 2 "$bin" frobnicate
expect "lists show" 0 "$bin" lists show
expect "lists show json" 0 "$bin" lists show --json

same "latin" "$(first_ref "Ayman al-Zawahiri")" "QDi.006"
same "cyrillic" "$(first_ref "Айман аз-Завахири")" "QDi.006"
same "arabic" "$(first_ref "أيمن الظواهري")" "QDi.006"
same "baghdadi" "$(first_ref "Abu Bakr al-Baghdadi")" "QDi.299"

out=$("$bin" screen "Ayman al-Zawahiri")
case "$out" in *"QDi.006"*"why:"*) pass=$((pass + 1)) ;; *) echo "FAIL: text output lacks ref or explanation"; fail=$((fail + 1)) ;; esac
out=$("$bin" lists show)
case "$out" in *"2026-02-27"*"1003 entries"*) pass=$((pass + 1)) ;; *) echo "FAIL: lists show: $out"; fail=$((fail + 1)) ;; esac
same "normalize" "$("$bin" normalize "Айман аз-Завахири")" "ayman az zavahiri"

rm -f /tmp/interdict-cli.$$
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
