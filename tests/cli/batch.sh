#!/usr/bin/env bash
# interdict batch: the evaluation contract and bad input.
# usage: batch.sh INTERDICT TEST_DATA_DIR
set -u
bin=$1
data=$2
fail=0
pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# A well-formed file: one line per row, in order, JSON with id and hits.
cat > "$tmp/q.csv" <<'CSV'
id,name,type,dob,nationality
a1,Ayman al-Zawahiri,person,,
a2,Jane Smith,person,,
a3,"AL-ZAWAHIRI, Aiman",person,1951-06-19,Egypt
a4,Айман аз-Завахири,,,
CSV
"$bin" batch "$tmp/q.csv" > "$tmp/out" 2> "$tmp/err"
st=$?
[ $st -eq 0 ] && ok || bad "clean batch exit $st: $(cat "$tmp/err")"
python3 - "$tmp/out" <<'PY' && ok || bad "clean batch output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["id"] for r in rows] == ["a1", "a2", "a3", "a4"], rows
assert rows[0]["hits"][0]["ref"] == "QDi.006"
assert rows[1]["hits"] == []
assert rows[2]["hits"][0]["ref"] == "QDi.006" and rows[2]["hits"][0]["dob"] == "agrees"
assert rows[3]["hits"][0]["ref"] == "QDi.006"
for h in rows[0]["hits"]:
    assert 0 <= h["score"] <= 1 and h["explanation"] and h["list"] == "un"
PY

# Bad rows: each gets an error line naming line and field; the rest is screened.
printf 'id,name,type,dob,nationality\nb1,Ayman al-Zawahiri,,,\nb2,,,,\nb3,Ayman,,someday,\nb4,Ayman,robot,,\nb5,"unbalanced,,,\nb6,\xff\xfe,,,\nb7,too,many,,,,\nb8,Aiman Zawahiri,,,\n' > "$tmp/bad.csv"
"$bin" batch "$tmp/bad.csv" > "$tmp/out" 2> "$tmp/err"
st=$?
[ $st -eq 3 ] && ok || bad "bad rows exit $st, wanted 3"
grep -q "could not be screened" "$tmp/err" && ok || bad "no summary of bad rows on stderr"
python3 - "$tmp/out" <<'PY' && ok || bad "bad rows output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r.get("id"): r for r in rows}
assert by["b1"]["hits"][0]["ref"] == "QDi.006"
assert by["b2"]["error"]["field"] == "name"
assert by["b3"]["error"]["field"] == "dob"
assert by["b4"]["error"]["field"] == "type"
assert any("error" in r and r["error"].get("line") == 6 for r in rows), "unbalanced quote at line 6"
assert any("error" in r and r["error"]["code"] == "encoding error" for r in rows)
assert by["b7"]["error"]["field"] == "row"
assert by["b8"]["hits"][0]["ref"] == "QDi.006", "rows after bad ones still screened"
PY

# Ids that need escaping come back as written.
printf 'id,name,type,dob,nationality\n"q""1\\\tx",Ayman al-Zawahiri,,,\n\xc3\xa9/\x01,Jane Smith,,,\nok,Jane Smith,,,Narnia\n' > "$tmp/esc.csv"
"$bin" batch "$tmp/esc.csv" > "$tmp/out" 2> "$tmp/err"
python3 - "$tmp/out" <<'PY' && ok || bad "escaped ids"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
rows = [json.loads(l) for l in lines]
assert rows[0]["id"] == 'q"1\\\tx' and rows[0]["hits"][0]["ref"] == "QDi.006", rows[0]
assert rows[1]["id"] == "\u00e9/\u0001" and '\\u0001' in lines[1], lines[1]
assert "unknown country" in rows[2]["warning"], rows[2]
for r in rows:
    assert r["lists"].startswith("un:")
    for h in r["hits"]:
        assert isinstance(h["score"], float) and isinstance(h["matches"][0]["similarity"], float)
PY

# A 10 MB name is one bad row, not a crash.
python3 -c 'print("id,name,type,dob,nationality"); print("h1," + "A"*(10<<20) + ",,,"); print("h2,Ayman al-Zawahiri,,,")' > "$tmp/huge.csv"
"$bin" batch "$tmp/huge.csv" > "$tmp/out" 2>/dev/null
st=$?
[ $st -eq 3 ] && ok || bad "huge name exit $st, wanted 3"
grep -q '"h2"' "$tmp/out" && ok || bad "row after a huge name lost"

# Unusable files exit 1 with a message naming the file.
echo "foo,bar" > "$tmp/nohdr.csv"
"$bin" batch "$tmp/nohdr.csv" > /dev/null 2> "$tmp/err"; st=$?
[ $st -eq 1 ] && grep -q "nohdr.csv" "$tmp/err" && ok || bad "wrong header: exit $st $(cat "$tmp/err")"
: > "$tmp/empty.csv"
"$bin" batch "$tmp/empty.csv" > /dev/null 2>&1; st=$?
[ $st -eq 1 ] && ok || bad "empty file exit $st"
"$bin" batch "$tmp/missing.csv" > /dev/null 2>&1; st=$?
[ $st -eq 1 ] && ok || bad "missing file exit $st"
"$bin" batch > /dev/null 2>&1; st=$?
[ $st -eq 2 ] && ok || bad "no file exit $st"

# --list with a broken list file: exit 1, nothing screened.
head -c 5000 "$data/../../data/un/consolidated.xml" > "$tmp/trunc.xml"
"$bin" batch --list "$tmp/trunc.xml" "$tmp/q.csv" > "$tmp/out" 2> "$tmp/err"; st=$?
[ $st -eq 1 ] && grep -q "trunc.xml" "$tmp/err" && ok || bad "truncated list exit $st"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
