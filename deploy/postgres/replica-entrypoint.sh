#!/bin/sh
# The read replica (profile "replica"): on first start, copy the primary with pg_basebackup (-R writes
# standby.signal and primary_conninfo; -C creates the slot omic_replica on the primary), then run as a hot standby
# streaming from that slot. Runs as the postgres user (compose: user: postgres).
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -p 5432 -U replicator; do sleep 1; done
  export PGPASSWORD="$REPLICATION_PASSWORD"
  pg_basebackup -h db -p 5432 -U replicator -D "$PGDATA" -R -X stream -C -S omic_replica --progress
  chmod 0700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres -c hot_standby=on -c hot_standby_feedback=on
