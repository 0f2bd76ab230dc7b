#!/usr/bin/env bash
# Restores the edge's SQLite database from a backup file. Refuses while the edge runs (systemd unit
# active, or the database open in any process); checks the backup with PRAGMA integrity_check; moves
# the current database (and its -wal/-shm) aside as <file>.before-restore-<time>.
#   sudo systemctl stop clubos-edge
#   sudo -u clubos deploy/backup/edge-restore.sh /var/lib/clubos-edge/backups/edge-….sqlite
#   sudo systemctl start clubos-edge
set -euo pipefail
SCRIPT=edge-restore
USAGE='usage: edge-restore.sh BACKUP_FILE   (reads EDGE_ENV_FILE, default /etc/clubos/edge.env)'
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { printf '%s\n' "$USAGE"; exit 0; }
[[ $# -eq 1 ]] || usage_error "give exactly one backup file"
backup="$(realpath -- "$1" 2>/dev/null || printf '%s' "$1")"
[[ -f "$backup" ]] || fail "backup $1 does not exist" "list the backups: ls -l /var/lib/clubos-edge/backups"

unit="${EDGE_SERVICE:-clubos-edge}"
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$unit" 2>/dev/null; then
  fail "the $unit service is running" "stop it first: sudo systemctl stop $unit (and start it after the restore)"
fi

home="$(clubos_home)"
[[ -f "$home/edge/src/db/backup.cli.ts" ]] ||
  fail "no ClubOS checkout at $home" "set CLUBOS_HOME to the folder the edge runs from (e.g. /opt/clubos)"
edge_env_args
cd "$home"
"${NODE:-node}" "${node_env[@]}" --import tsx edge/src/db/backup.cli.ts restore "$backup"
