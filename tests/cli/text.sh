#!/usr/bin/env bash
# interdict text: mentions of listed parties in documents, one JSON line per file.
# usage: text.sh INTERDICT TEST_DATA_DIR
set -u
bin=$1
data=$2
fail=0
pass=0
tmp=$(mktemp -d /tmp/interdict-text.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

expect() {   # expect DESCRIPTION WANTED_STATUS COMMAND...
  local what=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -20
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
same() {     # same DESCRIPTION GOT WANTED
  if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', wanted '$3'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
}
# hits of the first JSON line as "ref start end text" lines
hits() { python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    for h in d["hits"]:
        print(h["ref"], h["start"], h["end"], h["text"])
    break'; }

printf 'Al-Qaida leader Ayman al-Zawahiri said on Tuesday.\n' >"$tmp/en.txt"
printf 'Markets rose on Tuesday. The base was closed.\n' >"$tmp/none.txt"
printf 'Ayman al-Zawahiri \377\376 and Al-Qaida\n' >"$tmp/bad.txt"

expect "a hit exits 4" 4 "$bin" text "$tmp/en.txt"
same "hits with byte offsets" "$(hits <"$tmp/out")" "QDe.004 0 8 Al-Qaida
QDi.006 16 33 Ayman al-Zawahiri"
same "file named" "$(python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["file"])' <"$tmp/out")" "$tmp/en.txt"
expect "no hit exits 0" 0 "$bin" text "$tmp/none.txt"
same "empty hits" "$(sed 's/,"lists":"un:[0-9-]*:[0-9a-f]*"}$/}/' "$tmp/out")" "{\"file\":\"$tmp/none.txt\",\"hits\":[]}"
same "records the list version" "$(grep -c '"lists":"un:2026-02-27:' "$tmp/out")" "1"

expect "standard input" 4 sh -c "printf 'fighters of ISIL and AQI' | '$bin' text -"
same "stdin hits" "$(hits <"$tmp/out")" "QDe.115 12 16 ISIL
QDe.115 21 24 AQI"
same "stdin named -" "$(python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["file"])' <"$tmp/out")" "-"

expect "one line per file" 4 "$bin" text "$tmp/none.txt" "$tmp/en.txt"
same "two lines" "$(wc -l <"$tmp/out" | tr -d ' ')" "2"

expect "invalid UTF-8 is read, with a warning" 4 "$bin" text "$tmp/bad.txt"
same "warning field" "$(python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["warning"])' <"$tmp/out")" \
  "2 bytes of invalid UTF-8 read as separators (first at byte 18)"
same "hits around invalid bytes" "$(hits <"$tmp/out")" "QDi.006 0 17 Ayman al-Zawahiri
QDe.004 25 33 Al-Qaida"

expect "unreadable file exits 1" 1 "$bin" text "$tmp/none.txt" "$tmp/missing.txt"
same "error line for it" "$(tail -1 "$tmp/out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["error"]["code"], len(d["hits"]))')" "I/O error 0"

expect "no file" 2 "$bin" text
expect "unknown option" 2 "$bin" text --frobnicate "$tmp/en.txt"
expect "bad threshold" 2 "$bin" text --threshold 3 "$tmp/en.txt"
expect "bad max-per-span" 2 "$bin" text --max-per-span 0 "$tmp/en.txt"
expect "missing list" 1 "$bin" text --list /nonexistent/list.xml "$tmp/en.txt"

# another list: the test list's names in text
printf 'Payment to Example Trading Company for John Quincy Example.\n' >"$tmp/small.txt"
expect "own list" 4 "$bin" text --list "$data/un/small.xml" "$tmp/small.txt"
same "own list hits" "$(hits <"$tmp/out" | cut -d' ' -f1 | sort -u | tr '\n' ' ')" "TSe.001 TSi.001 "

# a long file is streamed: memory stays near what a short one needs
python3 - "$tmp/long.txt" <<'EOF2'
import sys, random
random.seed(7)
words = ["markets", "rose", "in", "London", "and", "Paris", "while", "the", "ministry",
         "said", "talks", "would", "go", "on", "Tuesday", "report", "city", "river"]
with open(sys.argv[1], "w") as f:
    for i in range(400000):
        f.write(" ".join(random.choice(words) for _ in range(12)))
        f.write(".\n" if i % 5 else ".\n\n")
    f.write("Finally Ayman al-Zawahiri was named.\n")
EOF2
if command -v /usr/bin/time >/dev/null 2>&1; then
  expect "short file" 4 /usr/bin/time -f "%M" -o "$tmp/rss0" "$bin" text "$tmp/en.txt"
  expect "long file" 4 /usr/bin/time -f "%M" -o "$tmp/rss" "$bin" text "$tmp/long.txt"
  rss0=$(tail -1 "$tmp/rss0"); rss=$(tail -1 "$tmp/rss")
  if [ "$rss" -lt $((rss0 * 2 + 40000)) ]; then pass=$((pass + 1))
  else echo "FAIL: long file used ${rss} KB, a short one ${rss0} KB"; fail=$((fail + 1)); fi
else
  expect "long file" 4 "$bin" text "$tmp/long.txt"
fi
same "long file hits" "$(hits <"$tmp/out" | cut -d' ' -f1,4-)" "QDi.006 Ayman al-Zawahiri"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
