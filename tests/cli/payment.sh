#!/usr/bin/env bash
# interdict payment: decisions, hits with their fields, errors and exit statuses.
# usage: payment.sh INTERDICT TEST_DATA_DIR
set -u
bin=$1
data=$2/payment
fail=0
pass=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() {   # expect DESCRIPTION WANTED_STATUS COMMAND...
  local what=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  | /' "$tmp/err" | head -10
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}
same() {     # same DESCRIPTION GOT WANTED
  if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', wanted '$3'"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
}
# Every fixture screened in one run (loading the list is most of the time).
"$bin" payment "$data"/*.xml "$data"/*.txt >"$tmp/all" 2>/dev/null
all_status=$?
# Summary of JSON lines, each line prefixed with the file's name: per
# message "decision type id", then per transaction "tx N decision", then per
# hit "kind field ref-or-value".
summarize() {
  python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    out = [" ".join([m["decision"], m.get("type", ""), m.get("id", "")])]
    for e in m["errors"]:
        out.append("  error %s %s" % (e.get("field", ""), e["code"]))
    for t in m["transactions"]:
        out.append("  tx %d %s" % (t["transaction"], t["decision"]))
        for h in t["hits"]:
            who = h["match"]["ref"] if "match" in h else h.get("ref", h["value"])
            out.append("    %s %s %s" % (h["kind"], h["field"], who))
        for e in t["errors"]:
            out.append("   error %s %s" % (e.get("field", ""), e["code"]))
    for o in out:
        print("%s: %s" % (os.path.basename(m["file"]), o))
'
}
summarize <"$tmp/all" >"$tmp/summary"
summary() { sed -n "s|^$1: ||p" "$tmp/summary"; }
has() {      # has DESCRIPTION TEXT NEEDLE
  case "$2" in *"$3"*) pass=$((pass + 1)) ;; *) echo "FAIL: $1: no '$3' in:"; echo "$2" | sed 's/^/  | /'; fail=$((fail + 1)) ;; esac
}

# exit statuses
expect "clean pacs.008 passes" 0 "$bin" payment "$data/pacs008_clean.xml"
expect "several clean files pass" 0 "$bin" payment "$data/pain001_clean.xml" "$data/mt103_clean.txt" \
  "$data/mt103_50f.txt" "$data/mt202_clean.txt"
expect "a hold exits 4" 4 "$bin" payment "$data/pacs008_clean.xml" "$data/mt103_59_listed.txt"
expect "missing file exits 1" 1 "$bin" payment "$data/nonexistent.xml"
expect "missing file among good ones exits 1" 1 "$bin" payment "$data/pacs008_clean.xml" "$data/nonexistent.xml"
expect "no file is usage" 2 "$bin" payment
expect "unknown option is usage" 2 "$bin" payment --frobnicate "$data/pacs008_clean.xml"
expect "bad threshold is usage" 2 "$bin" payment --threshold 2 "$data/pacs008_clean.xml"
expect "bad rules file" 1 "$bin" payment --rules "$data/rules_bad.json" "$data/pacs008_clean.xml"
expect "missing rules file" 1 "$bin" payment --rules "$data/none.json" "$data/pacs008_clean.xml"
expect "missing list" 1 "$bin" payment --list /nonexistent/list.xml "$data/pacs008_clean.xml"
same "all fixtures: some held" "$all_status" "4"
for f in pacs008_truncated.xml pacs008_bad_utf8.xml pacs008_latin1.xml camt053.xml \
         pacs008_long_name.xml pacs008_missing_cdtr.xml pacs008_nboftxs.xml mt103_truncated.txt \
         mt999.txt mt103_no59.txt mt103_long50k.txt mt103_charset.txt empty.txt not_payment.txt; do
  has "unreadable $f is held" "$(summary "$f" | sed -n 1p)" "hold"
done
for f in pacs008_clean.xml pain001_clean.xml mt103_clean.txt mt103_50f.txt mt202_clean.txt; do
  has "clean $f passes" "$(summary "$f" | sed -n 1p)" "pass"
done
expect "unreadable input exits 4" 4 "$bin" payment "$data/mt103_truncated.txt" "$data/mt999.txt"

# listed parties, each from its field
has "Cdtr/Nm" "$(summary "pacs008_bah_multi.xml")" "name CdtTrfTxInf[2]/Cdtr/Nm QDe.137"
has "remittance text" "$(summary "pacs008_bah_multi.xml")" "text CdtTrfTxInf[3]/RmtInf/Ustrd[1] QDi.006"
same "per-transaction decisions" "$(summary "pacs008_bah_multi.xml" | grep -c '  tx .* pass')" "1"
has "Dbtr/Nm" "$(summary "pacs008_dbtr_listed.xml")" "name CdtTrfTxInf[1]/Dbtr/Nm QDi.006"
has "UltmtCdtr/Nm" "$(summary "pacs008_ultmtcdtr_listed.xml")" "name CdtTrfTxInf[1]/UltmtCdtr/Nm QDe.137"
has "field 59" "$(summary "mt103_59_listed.txt")" "name 59 QDe.137"
has "field 50K" "$(summary "mt103_50k_listed.txt")" "name 50K QDi.006"
has "field 70" "$(summary "mt103_70_listed.txt")" "text 70 QDi.299"
has "MT202COV sequence B" "$(summary "mt202cov_listed.txt")" "name B/59 QDe.137"
has "MT202COV type" "$(summary "mt202cov_listed.txt")" "hold MT202COV COV20240117"
has "embargoed creditor agent" "$(summary "pacs008_embargo_agent.xml")" "country CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI IR"
has "listed BIC" "$(summary "pacs008_listed_bic.xml")" "bic CdtTrfTxInf[1]/IntrmyAgt1/FinInstnId/BICFI KPe.047"
has "Crimea" "$(summary "pacs008_crimea.xml")" "region CdtTrfTxInf[1]/Cdtr/PstlAdr/TwnNm Simferopol"
out=$(summary "pain001_mixed.xml")
has "pain.001 listed bank" "$out" "bic PmtInf[1]/CdtTrfTxInf[2]/CdtrAgt/FinInstnId/BICFI KPe.023"
has "pain.001 ultimate creditor" "$out" "name PmtInf[2]/CdtTrfTxInf[1]/UltmtCdtr/Nm QDi.421"
has "pain.001 first transaction passes" "$out" "  tx 1 pass"

# several messages in one MT file
out=$(summary "mt_multi.txt")
same "three messages" "$(echo "$out" | grep -c '^\(pass\|hold\) MT')" "3"
has "second one held" "$out" "hold MT103 GB24011700042"

# errors name the field
has "missing 59" "$(summary "mt103_no59.txt")" "error 59a unsupported format"
has "long 50K" "$(summary "mt103_long50k.txt")" "error 50K size limit exceeded"
has "X character set" "$(summary "mt103_charset.txt")" "error 50K encoding error"
has "long Nm" "$(summary "pacs008_long_name.xml")" "error CdtTrfTxInf[1]/Cdtr/Nm size limit exceeded"
has "invalid UTF-8" "$(summary "pacs008_bad_utf8.xml")" "error XML encoding error"
has "unknown MX type" "$(summary "camt053.xml")" "hold camt.053.001.08"
has "unknown MT type" "$(summary "mt999.txt")" "hold MT999"
has "truncated MT" "$(summary "mt103_truncated.txt")" "error block 4"

# rules file: one more listed BIC, the rest as before
expect "rules file makes clean pacs.008 hold" 4 "$bin" payment --rules "$data/rules.json" "$data/pacs008_clean.xml"
has "rules BIC" "$(summarize <"$tmp/out")" "bic CdtTrfTxInf[1]/CdtrAgt/FinInstnId/BICFI INGBNL2A"

# JSON shape: one line per message, reasons, parties on request, unreadable files on stdout too
"$bin" payment --parties "$data/pacs008_clean.xml" "$data/nonexistent.xml" "$data/mt_multi.txt" >"$tmp/out" 2>"$tmp/err"
same "lines" "$(wc -l <"$tmp/out" | tr -d ' ')" "5"
same "stderr names the missing file" "$(grep -c nonexistent.xml "$tmp/err")" "1"
python3 - "$tmp/out" <<'EOF' && pass=$((pass + 1)) || { echo "FAIL: JSON shape"; fail=$((fail + 1)); }
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
first = lines[0]
assert first["decision"] == "pass" and first["type"] == "pacs.008.001.08"
tx = first["transactions"][0]
assert tx["countries"] == ["DE", "NL"], tx["countries"]
roles = [p["role"] for p in tx["parties"]]
assert "debtor" in roles and "creditor agent" in roles, roles
assert lines[1]["decision"] == "hold" and lines[1]["errors"][0]["code"] == "I/O error"
held = lines[3]["transactions"][0]["hits"][0]
assert held["kind"] == "name" and held["field"] == "59" and "QDe.137" in held["reason"], held
assert held["match"]["ref"] == "QDe.137" and held["match"]["explanation"]
EOF
# standard input
"$bin" payment - <"$data/mt103_59_listed.txt" >"$tmp/out" 2>&1
same "stdin exit" "$?" "4"
has "stdin file name" "$(cat "$tmp/out")" '"file":"-"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
