#!/usr/bin/env bash
# The same end-to-end tests as serve.sh with a PostgreSQL casebook, on a
# throwaway cluster; exits 77 (skipped) when PostgreSQL is not installed.
# usage: serve_pg.sh INTERDICT TEST_DATA_DIR
here=$(dirname "$0")/../service
dir=$(mktemp -d /tmp/interdict-pg.XXXXXX)
trap '"$here/pg_cluster.sh" stop "$dir"' EXIT
uri=$("$here/pg_cluster.sh" start "$dir") || { rc=$?; echo "SKIP: no PostgreSQL cluster"; exit $rc; }
python3 "$here/serve_test.py" "$1" "$2" "$uri"
