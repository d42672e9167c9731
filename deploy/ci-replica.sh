#!/usr/bin/env bash
# CI: read through a real PostgreSQL streaming replica (deploy/README.md, "Read replica").
# Run as root on Debian from the repository root, with the local cluster running (.ci/run
# runs it after ci-smoke.sh). Touches the running cluster only by adding and dropping a
# scratch database; the standby is a copy in a scratch directory, on its own port.
#
#   1. a scratch database on the running cluster: migrated, the demo base loaded;
#   2. a hot standby of the cluster: pg_basebackup -R -X stream, started with pg_ctl on
#      127.0.0.1:$PCMD_REPLICA_PORT (5433), until it answers and is in recovery;
#   3. deploy/replica_tests/test_replica.py with DATABASE_REPLICA_URL pointing at it;
#   4. the standby stopped, then test_replica_down.py (everything falls back to the primary);
#   5. the standby and the scratch database removed, also on failure (trap). Re-runnable.
set -euo pipefail
cd "$(dirname "$0")/.."

db=pcmd_replica_ci
port=${PCMD_REPLICA_PORT:-5433}
dir=${PCMD_REPLICA_DIR:-/var/tmp/pcmd-ci-replica}
pgver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
bin=/usr/lib/postgresql/$pgver/bin

as_postgres() { (cd / && runuser -u postgres -- "$@"); }
primary_setting() { as_postgres psql -Atqc "SHOW $1"; }

stop_standby() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || true
  fi
}
cleanup() {
  stop_standby
  rm -rf "$dir"
  as_postgres psql -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
cleanup # what a run that was killed may have left
trap cleanup EXIT

primary_port=$(primary_setting port)
if [ "$primary_port" = "$port" ]; then
  echo "the standby's port $port is the primary's: set PCMD_REPLICA_PORT" >&2
  exit 1
fi

echo "== Scratch database $db on the primary (port $primary_port): migrated, demo base"
as_postgres createdb -O pcmd "$db"
# The tests pause replay on the standby to make it lag; only this database lets pcmd do so.
as_postgres psql -q -d "$db" -c "GRANT EXECUTE ON FUNCTION pg_wal_replay_pause() TO pcmd;
  GRANT EXECUTE ON FUNCTION pg_wal_replay_resume() TO pcmd;"
export DATABASE_URL="postgres://pcmd:pcmd@127.0.0.1:$primary_port/$db"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py shell -c \
  "from pcmd.core.demo import load_demo; load_demo('Replica-ci-2018!', registers=False)"

echo "== Standby of the running cluster in $dir, port $port"
install -d -o postgres -g postgres -m 0700 "$dir" "$dir/data"
as_postgres "$bin/pg_basebackup" -p "$primary_port" -D "$dir/data" -R -X stream -c fast
# Debian keeps the configuration outside the data directory: the standby gets its own.
# A hot standby needs these at least as high as on the primary.
{
  echo "port = $port"
  echo "listen_addresses = '127.0.0.1'"
  echo "unix_socket_directories = '$dir'"
  echo "hot_standby = on"
  for name in max_connections max_worker_processes max_wal_senders \
    max_prepared_transactions max_locks_per_transaction; do
    echo "$name = $(primary_setting "$name")"
  done
} >"$dir/data/postgresql.conf"
printf '%s\n' "local all postgres peer" "host all all 127.0.0.1/32 scram-sha-256" \
  >"$dir/data/pg_hba.conf"
: >"$dir/data/pg_ident.conf"
chown postgres:postgres "$dir/data/postgresql.conf" "$dir/data/pg_hba.conf" "$dir/data/pg_ident.conf"
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/standby.log" -w -t 60 start >/dev/null
export DATABASE_REPLICA_URL="postgres://pcmd:pcmd@127.0.0.1:$port/$db"
in_recovery=""
for _ in $(seq 1 60); do
  in_recovery=$(PGPASSWORD=pcmd psql -h 127.0.0.1 -p "$port" -U pcmd -d "$db" -Atqc \
    "SELECT pg_is_in_recovery()" 2>/dev/null || true)
  [ "$in_recovery" = t ] && break
  sleep 1
done
if [ "$in_recovery" != t ]; then
  echo "the standby did not come up in recovery; its log:" >&2
  cat "$dir/standby.log" >&2
  exit 1
fi

echo "== Tests reading through the standby"
pytest=(.venv/bin/python -m pytest -p no:cacheprovider -q -n 0)
"${pytest[@]}" deploy/replica_tests/test_replica.py

echo "== Standby stopped: the primary answers alone"
stop_standby
"${pytest[@]}" deploy/replica_tests/test_replica_down.py
