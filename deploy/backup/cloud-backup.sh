#!/usr/bin/env bash
# Backup of the cloud's PostgreSQL database with pg_dump's custom format (compressed, restorable
# table by table with pg_restore), checked with `pg_restore --list`, keeping the newest N.
#   deploy/backup/cloud-backup.sh [--keep N] DATABASE_URL BACKUP_DIR
# DATABASE_URL and BACKUP_DIR default to $DATABASE_URL and $CLOUD_BACKUP_DIR. PG_DUMP, PG_RESTORE and
# PSQL name other client commands, e.g. the server's own inside compose:
#   PG_DUMP='docker compose -f deploy/compose.cloud.yml exec -T db pg_dump' (URL then as seen in there)
set -euo pipefail
SCRIPT=cloud-backup
USAGE='usage: cloud-backup.sh [--keep N] DATABASE_URL BACKUP_DIR'
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

keep=14
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) [[ $# -ge 2 ]] || usage_error "--keep needs a number"; keep="$2"; shift 2 ;;
    -h | --help) printf '%s\n' "$USAGE"; exit 0 ;;
    -*) usage_error "unknown option $1" ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || usage_error "--keep must be a whole number >= 1, got $keep"
url="${args[0]:-${DATABASE_URL:-}}"
dir="${args[1]:-${CLOUD_BACKUP_DIR:-}}"
[[ ${#args[@]} -le 2 ]] || usage_error "too many arguments"
[[ -n "$url" ]] || usage_error "give DATABASE_URL (postgres://user:password@host:5432/clubos)"
[[ -n "$dir" ]] || usage_error "give BACKUP_DIR (e.g. /var/backups/clubos-cloud)"
[[ "$url" =~ ^postgres(ql)?:// ]] || usage_error "DATABASE_URL must start with postgres:// or postgresql://"

read -ra pg_dump <<<"${PG_DUMP:-pg_dump}"
read -ra pg_restore <<<"${PG_RESTORE:-pg_restore}"
read -ra psql <<<"${PSQL:-psql}"
safe_url="$(sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$url")"

client="$("${pg_dump[@]}" --version 2>/dev/null)" ||
  fail "${pg_dump[*]} is not available" "install the PostgreSQL client (apt-get install postgresql-client-16) or set PG_DUMP"
server_num="$("${psql[@]}" -X -A -t -q -d "$url" -c 'SHOW server_version_num' 2>&1)" ||
  fail "cannot connect to $safe_url: $server_num" "check the URL, the password and that PostgreSQL is up (pg_isready)"
[[ "$server_num" =~ ^[0-9]+$ ]] ||
  fail "unexpected answer to SHOW server_version_num: $server_num" "run ${psql[*]} by hand against $safe_url and fix what it prints"
server_major=$((server_num / 10000))
client_major="$(pg_major "$client")"
if ((client_major < server_major)); then
  fail "pg_dump $client_major is older than the server ($server_major) and cannot dump it" \
    "install postgresql-client-$server_major, or set PG_DUMP to the server's own pg_dump (see the top of this script)"
fi

umask 077
mkdir -p "$dir" || fail "cannot create $dir" "create it, writable by this user, or choose another BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$dir/clubos-cloud-$stamp.dump"
partial="$dir/.clubos-cloud-$stamp.dump.partial"
trap 'rm -f "$partial"' EXIT
say "pg_dump $client_major of $safe_url (server $server_major) into $target"
"${pg_dump[@]}" --format=custom --compress=6 --dbname="$url" >"$partial" ||
  fail "pg_dump failed (see above); nothing was written" "fix the error above and run again; older backups in $dir are untouched"
entries="$("${pg_restore[@]}" --list <"$partial" | grep -c -v '^;')" ||
  fail "the new dump cannot be read back by pg_restore --list" "check the disk ($dir) and run again"
mv "$partial" "$target"
trap - EXIT
say "wrote $target ($(du -h "$target" | cut -f1), $entries archive entries)"

mapfile -t all < <(find "$dir" -maxdepth 1 -name 'clubos-cloud-*.dump' -printf '%f\n' | sort)
if ((${#all[@]} > keep)); then
  for old in "${all[@]:0:${#all[@]}-keep}"; do
    rm -f "$dir/$old"
    say "removed old backup $old (keeping $keep)"
  done
fi
say "done; copy $dir off this machine too (a backup on the same disk dies with it)"
