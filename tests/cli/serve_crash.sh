#!/usr/bin/env bash
# kill -9 of `interdict serve` under load loses no acknowledged alert,
# decision or durable audit record, and the audit chain still verifies;
# with SQLite, then with PostgreSQL when it is installed.
# usage: serve_crash.sh INTERDICT TEST_DATA_DIR
here=$(dirname "$0")/../service
python3 "$here/crash_test.py" "$1" "$2" sqlite || exit 1
dir=$(mktemp -d /tmp/interdict-pg.XXXXXX)
trap '"$here/pg_cluster.sh" stop "$dir"' EXIT
if uri=$("$here/pg_cluster.sh" start "$dir"); then
  python3 "$here/crash_test.py" "$1" "$2" "$uri" || exit 1
else
  echo "SKIP: the PostgreSQL half (no PostgreSQL cluster)"
fi
