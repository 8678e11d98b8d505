#!/usr/bin/env bash
# interdict lists show / screen against an OpenSanctions FtM JSON lines file.
# usage: opensanctions.sh INTERDICT TEST_DATA_DIR
set -u
bin=$1
list=$2/opensanctions/entities.ftm.json
fail=0
check() {    # check DESCRIPTION WANTED_STATUS PATTERN COMMAND...
  local what=$1 want=$2 pattern=$3; shift 3
  local out got
  out=$("$@" 2>&1)
  got=$?
  if [ "$got" -ne "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
    echo "FAIL: $what: exit $got (wanted $want), output:"; sed 's/^/  | /' <<<"$out" | head -20
    fail=$((fail + 1))
  fi
}
check "lists show" 0 "generated 2026-02-28  8 entries (4 persons, 2 entities, 1 vessels, 1 aircraft)" "$bin" lists show --list "$list"
check "lists show json" 0 '"list": "opensanctions"' "$bin" lists show --list "$list" --json
check "latin" 4 "NK-7bqzWu5TfXcHk3Lm9QpR2s" "$bin" screen "Ayman al-Zawahiri" --list "$list"
check "arabic" 4 "NK-7bqzWu5TfXcHk3Lm9QpR2s" "$bin" screen "أيمن الظواهري" --list "$list"
check "cyrillic" 4 "NK-Rk2hVwT9yPq4sLm7XcBn3e" "$bin" screen "Рособоронэкспорт" --list "$list"
check "vessel" 4 "NK-AdrianDarya1Vq7" "$bin" screen "Adrian Darya 1" --list "$list"
check "no alert" 0 "" "$bin" screen "Jane Smith" --list "$list"
bad=$(mktemp)
printf '{"id": "a", "schema": "Person", "properties": {"name": ["A B"]}}\n{"id": "b", "schema": "Person"}\n' >"$bad"
check "nameless party" 1 "2: properties.name" "$bin" lists show --list "$bad"
rm -f "$bad"
[ "$fail" -eq 0 ] && echo "opensanctions: all passed"
exit "$fail"
