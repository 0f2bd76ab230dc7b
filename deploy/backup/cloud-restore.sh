#!/usr/bin/env bash
# Restores a cloud-backup.sh dump into a NEW (or empty) PostgreSQL database, never over data:
#   deploy/backup/cloud-restore.sh [--create] DUMP_FILE TARGET_DATABASE_URL
# --create creates the target database (connecting to the server's `postgres` database); without it
# the target must exist and hold no tables. The restore is one transaction: all or nothing. Then point
# DATABASE_URL at the target and restart the cloud. PG_RESTORE / PSQL name other client commands
# (deploy/README.md shows the compose database container's own).
set -euo pipefail
SCRIPT=cloud-restore
USAGE='usage: cloud-restore.sh [--create] DUMP_FILE TARGET_DATABASE_URL'
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

create=0
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --create) create=1; shift ;;
    -h | --help) printf '%s\n' "$USAGE"; exit 0 ;;
    -*) usage_error "unknown option $1" ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ ${#args[@]} -eq 2 ]] || usage_error "give DUMP_FILE and TARGET_DATABASE_URL"
dump="${args[0]}"
url="${args[1]}"
[[ -f "$dump" ]] || fail "dump $dump does not exist" "list the backups (ls -l the backup folder) and give one"
[[ "$url" =~ ^postgres(ql)?://[^/]+/([a-z_][a-z0-9_]*)(\?.*)?$ ]] ||
  usage_error "TARGET_DATABASE_URL must be postgres://user[:password]@host[:port]/name with a lower-case name (letters, digits, _)"
name="${BASH_REMATCH[2]}"
maintenance_url="$(sed -E "s#/$name(\\?|\$)#/postgres\\1#" <<<"$url")"
safe_url="$(sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$url")"

read -ra pg_restore <<<"${PG_RESTORE:-pg_restore}"
read -ra psql <<<"${PSQL:-psql}"
"${pg_restore[@]}" --version >/dev/null 2>&1 ||
  fail "${pg_restore[*]} is not available" "install the PostgreSQL client (apt-get install postgresql-client-16) or set PG_RESTORE"
listing="$("${pg_restore[@]}" --list <"$dump" 2>&1)" ||
  fail "$dump is not a readable pg_dump archive: $listing" "give a file written by cloud-backup.sh; a newer pg_dump's file needs a pg_restore at least as new"
say "dump $dump is readable ($(grep -c -v '^;' <<<"$listing") archive entries)"

created=0
if ((create)); then
  out="$("${psql[@]}" -X -q -v ON_ERROR_STOP=1 -d "$maintenance_url" -c "CREATE DATABASE \"$name\"" 2>&1)" ||
    fail "cannot create database $name: $out" "restore never overwrites: choose a new database name, or drop the old one yourself if it is really unwanted"
  created=1
  say "created database $name"
else
  tables="$("${psql[@]}" -X -A -t -q -d "$url" -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')" 2>&1)" ||
    fail "cannot connect to $safe_url: $tables" "create the database first, or pass --create to have it created"
  [[ "$tables" == "0" ]] ||
    fail "database $name already has $tables tables" "restore into a new database (--create with a new name); it never overwrites"
fi

say "pg_restore into $safe_url (one transaction)"
# The dump goes in on stdin, so PG_RESTORE may be a command in another container.
if ! "${pg_restore[@]}" --exit-on-error --single-transaction --no-owner --no-privileges --dbname="$url" <"$dump"; then
  if ((created)); then
    "${psql[@]}" -X -q -d "$maintenance_url" -c "DROP DATABASE IF EXISTS \"$name\"" >/dev/null 2>&1 || true
    say "dropped the database $name this run created"
  fi
  fail "pg_restore failed (see above); nothing was restored" "fix the error above (role, extension or version) and run again"
fi
counts="$("${psql[@]}" -X -A -t -q -F ' ' -d "$url" -c 'SELECT (SELECT count(*) FROM facilities), (SELECT count(*) FROM bookings), (SELECT count(*) FROM customers)')" ||
  fail "restored, but the restored database cannot be queried" "check it by hand: psql '$safe_url'"
read -r facilities bookings customers <<<"$counts"
say "restored $name: $facilities facilities, $bookings bookings, $customers customers"
say "next: set DATABASE_URL to this database in cloud.env and restart the cloud; keep the old database until you have checked"
