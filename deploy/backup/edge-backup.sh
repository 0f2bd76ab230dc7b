#!/usr/bin/env bash
# Online backup of the edge's SQLite database (SQLite's backup API: consistent while the edge runs)
# into EDGE_BACKUP_DIR, keeping the newest EDGE_BACKUP_KEEP copies: the same code as the edge's own
# nightly backup. Run by clubos-edge-backup.service, or by hand:
#   deploy/backup/edge-backup.sh [--dir DIR] [--keep N]
set -euo pipefail
SCRIPT=edge-backup
USAGE='usage: edge-backup.sh [--dir DIR] [--keep N]   (reads EDGE_ENV_FILE, default /etc/clubos/edge.env)'
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { printf '%s\n' "$USAGE"; exit 0; }
home="$(clubos_home)"
[[ -f "$home/edge/src/db/backup.cli.ts" ]] ||
  fail "no ClubOS checkout at $home" "set CLUBOS_HOME to the folder the edge runs from (e.g. /opt/clubos)"
edge_env_args
cd "$home"
status=0
"${NODE:-node}" "${node_env[@]}" --import tsx edge/src/db/backup.cli.ts backup "$@" || status=$?
if [[ $status -ne 0 ]]; then
  say "FAILED (exit $status): the previous backups are untouched"
  exit "$status"
fi
