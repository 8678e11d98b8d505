#!/usr/bin/env bash
# interdict serve end to end over HTTP, with a SQLite casebook.
# usage: serve.sh INTERDICT TEST_DATA_DIR
exec python3 "$(dirname "$0")/../service/serve_test.py" "$1" "$2" sqlite
