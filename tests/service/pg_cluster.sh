#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the service tests.
#   pg_cluster.sh start DIR   prints a postgresql:// URI on stdout, or exits 77
#                             with the reason on stderr when PostgreSQL is absent
#   pg_cluster.sh stop DIR    stops it and removes DIR
# The cluster listens on a Unix socket in DIR only. initdb refuses to run as
# root, so as root it runs as the postgres user (or nobody).
set -u
cmd=$1 dir=$2
bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) ""; do
  [ -n "$d" ] && [ -x "$d/initdb" ] && { bindir=$d; break; }
done
[ -z "$bindir" ] && command -v initdb >/dev/null && bindir=$(dirname "$(command -v initdb)")
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  as_user=(runuser -u "$user" --)
fi
case $cmd in
start)
  if [ -z "$bindir" ]; then echo "PostgreSQL (initdb, pg_ctl) is not installed" >&2; exit 77; fi
  mkdir -p "$dir" && chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "${user}" "$dir"
  if ! "${as_user[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1; then
    echo "initdb failed: $(tail -3 "$dir/initdb.log")" >&2; exit 77
  fi
  port=$(( 20000 + RANDOM % 20000 ))
  if ! "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
       -o "-k $dir -p $port -c listen_addresses= -c fsync=on" start >/dev/null 2>&1; then
    echo "PostgreSQL did not start: $(tail -3 "$dir/server.log" 2>/dev/null)" >&2; exit 77
  fi
  echo "postgresql:///postgres?host=$dir&port=$port&user=postgres"
  ;;
stop)
  [ -n "$bindir" ] && [ -d "$dir/data" ] && \
    "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$dir"
  ;;
esac
