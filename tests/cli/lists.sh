#!/usr/bin/env bash
# interdict lists import / versions / diff / update and rescreen.
# usage: lists.sh INTERDICT TEST_DATA_DIR
set -u
bin=$1
data=$(cd "$2/lists" && pwd)
fail=0
pass=0
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
db=$work/store.db

expect() {   # expect DESCRIPTION WANTED_STATUS COMMAND...
  local what=$1 want=$2; shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  | /' "$work/out" "$work/err" | head -20
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
contains() { # contains DESCRIPTION FILE TEXT
  if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); else
    echo "FAIL: $1: '$3' not in:"; sed 's/^/  | /' "$2" | head -20; fail=$((fail + 1)); fi
}
same() {
  if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', wanted '$3'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
}
active_version() { "$bin" lists versions un --db "$db" --json |
  python3 -c 'import json,sys; print([v["version"] for v in json.load(sys.stdin) if v["active"]][0])'; }

# import, versions, unchanged re-import
expect "import v1" 0 "$bin" lists import "$data/v1.xml" --db "$db"
contains "import says version" "$work/out" "imported as version #1"
expect "import v1 again" 0 "$bin" lists import "$data/v1.xml" --db "$db"
contains "same content is not stored twice" "$work/out" "unchanged"
expect "import bad file" 1 "$bin" lists import "$2/un/dup_ref.xml" --db "$db"
contains "bad file named" "$work/err" "dup_ref.xml"
same "bad import leaves v1 active" "$(active_version)" "1"
expect "versions" 0 "$bin" lists versions --db "$db"
contains "versions show checksum" "$work/out" "sha256 $(sha256sum "$data/v1.xml" | cut -c1-64)"

# screening from the store records the version used
expect "screen from store" 4 "$bin" screen "Omar Nasser" --db "$db" --json
contains "result names version" "$work/out" "\"version\": 1"
contains "result has checksum" "$work/out" "$(sha256sum "$data/v1.xml" | cut -c1-64)"

# rescreen: the first run screens everything, the second nothing
printf 'id,name,dob\nc1,Jane Smith,\nc2,Omar Nasser,1965\nc3,Mustafa Zubaidi,\nc4,Abu Farouq al-Testi,\n' >"$work/customers.csv"
expect "first rescreen alerts" 4 "$bin" rescreen --customers "$work/customers.csv" --db "$db"
ids() { python3 -c 'import json,sys; print(" ".join(sorted(json.loads(l)["id"] for l in open(sys.argv[1]))))' "$work/out"; }
same "first rescreen: c2 only" "$(ids)" "c2"
expect "second rescreen: nothing new" 0 "$bin" rescreen --customers "$work/customers.csv" --db "$db"
same "second rescreen writes nothing" "$(wc -c <"$work/out")" "0"

# diff between files and between stored versions
expect "diff files" 0 "$bin" lists diff "$data/v1.xml" "$data/v2.xml"
contains "diff added" "$work/out" "+ TSi.104"
contains "diff removed" "$work/out" "- TSi.103"
contains "diff changed names" "$work/out" "~ TSi.102      OMAR FAROUQ NASSER  (names)"
expect "diff json" 0 "$bin" lists diff "$data/v1.xml" "$data/v2.xml" --json
same "diff json counts" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["added"]), len(d["removed"]), d["changed"][0]["fields"])' "$work/out")" "1 1 ['names']"
expect "diff of a missing file" 1 "$bin" lists diff "$data/v1.xml" "$data/none.xml"
expect "diff unknown version" 1 "$bin" lists diff @1 @99 --db "$db"

# update from a local HTTP server; failures keep the active version
mkdir -p "$work/www"
cp "$data/v2.xml" "$work/www/list.xml"
head -c 900 "$data/v2.xml" >"$work/www/truncated.xml"
printf '<?xml version="1.0"?>\n<CONSOLIDATED_LIST dateGenerated="2025-03-01T00:00:00Z"><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>TSi.900</REFERENCE_NUMBER><FIRST_NAME>ONLY ONE</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n' >"$work/www/tiny.xml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
server_pid=$!
for _ in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1',$port))" 2>/dev/null && break; sleep 0.1; done
config() { printf '{"lists":[{"id":"%s","urls":["%s"]}]}\n' "$1" "$2" >"$work/sources.json"; }

config un "http://127.0.0.1:$port/truncated.xml"
expect "truncated download refused" 1 "$bin" lists update --config "$work/sources.json" --db "$db"
contains "truncated: says kept" "$work/err" "active version kept"
same "truncated: v1 still active" "$(active_version)" "1"
config un "http://127.0.0.1:$port/missing.xml"
expect "HTTP 404 refused" 1 "$bin" lists update --config "$work/sources.json" --db "$db"
contains "404 reported" "$work/err" "404"
config un "http://127.0.0.1:$port/tiny.xml"
expect "implausibly small list refused" 1 "$bin" lists update --config "$work/sources.json" --db "$db"
contains "small: says implausible" "$work/err" "implausible"
same "small: v1 still active" "$(active_version)" "1"
config ofac "http://127.0.0.1:$port/list.xml"
expect "wrong list refused" 1 "$bin" lists update --config "$work/sources.json" --db "$db"
config un "http://127.0.0.1:1/list.xml"
expect "unreachable server refused" 1 "$bin" lists update --config "$work/sources.json" --db "$db"
same "after failures v1 still active" "$(active_version)" "1"
ls "$work"/store.db* >/dev/null
same "no partial download left" "$(find /tmp -maxdepth 1 -name 'interdict-update-*' -newer "$work/sources.json" | wc -l)" "0"

config un "http://127.0.0.1:$port/list.xml"
expect "update over HTTP" 0 "$bin" lists update --config "$work/sources.json" --db "$db"
contains "update reports new version" "$work/out" "updated to #2"
same "v2 active" "$(active_version)" "2"
expect "update again: unchanged" 0 "$bin" lists update --config "$work/sources.json" --db "$db"
contains "unchanged reported" "$work/out" "unchanged"
config un "file://$data/v1.xml"
expect "update from a file URL" 0 "$bin" lists update --config "$work/sources.json" --db "$db"
same "file URL: v1 active again" "$(active_version)" "1"
config un "http://127.0.0.1:$port/list.xml"
expect "back to v2" 0 "$bin" lists update --config "$work/sources.json" --db "$db"

# rescreen after the update: the newly listed party and the new alias alert
expect "rescreen after update alerts" 4 "$bin" rescreen --customers "$work/customers.csv" --db "$db"
same "rescreen finds the new listings" "$(ids)" "c2 c3 c4"
contains "rescreen summary" "$work/err" "1 entries added and 1 changed"
expect "rescreen needs customers" 2 "$bin" rescreen --db "$db"

# the list filter
expect "unknown list in --lists" 1 "$bin" screen "Omar Nasser" --db "$db" --lists eu
contains "unknown list named" "$work/err" "no loaded list is called \"eu\""

echo "lists.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
