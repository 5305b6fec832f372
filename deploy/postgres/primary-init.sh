#!/bin/sh
# Runs once, when the primary's data directory is first created (docker-entrypoint-initdb.d): lets the replica
# stream WAL (profile "replica"). The replication role's password is REPLICATION_PASSWORD. The replica creates its
# own replication slot when it first starts; drop it (pg_drop_replication_slot) if the replica is retired, or the
# primary keeps WAL for it for ever.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
