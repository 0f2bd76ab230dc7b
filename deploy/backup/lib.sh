# Shared by the backup/restore scripts: messages on stderr, a failure that says what to do next.
# shellcheck shell=bash

say() { printf '[%s] %s\n' "$SCRIPT" "$*" >&2; }

# fail "what went wrong" "what to do next"
fail() {
  printf '[%s] FAILED: %s\n' "$SCRIPT" "$1" >&2
  printf '[%s] next: %s\n' "$SCRIPT" "$2" >&2
  exit 1
}

usage_error() {
  printf '[%s] %s\n%s\n' "$SCRIPT" "$1" "$USAGE" >&2
  exit 2
}

# The checkout the edge runs from (deploy/backup/ is two levels below it), unless CLUBOS_HOME says.
clubos_home() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  printf '%s\n' "${CLUBOS_HOME:-$(cd "$here/../.." && pwd)}"
}

# Node's --env-file for the edge's environment file (systemd EnvironmentFile syntax: KEY=value,
# # comments, optional quotes; nothing expanded), so a run from a shell sees the same EDGE_DATA_DIR /
# EDGE_DB_FILE as the service. Variables already in the environment win. EDGE_ENV_FILE=none: skip
# (the systemd unit has loaded it already). Sets the array `node_env`.
edge_env_args() {
  local file="${EDGE_ENV_FILE:-/etc/clubos/edge.env}"
  node_env=()
  if [[ "$file" == none ]]; then
    return
  elif [[ -r "$file" ]]; then
    say "environment from $file"
    node_env=("--env-file=$file")
  elif [[ -n "${EDGE_ENV_FILE:-}" ]]; then
    fail "EDGE_ENV_FILE=$file cannot be read" "give the edge's environment file (normally /etc/clubos/edge.env) or run as a user who can read it"
  else
    say "no $file: using the environment as it is"
  fi
}

# Major version of a PostgreSQL tool or server version string ("pg_dump (PostgreSQL) 15.20" -> 15).
pg_major() { sed -E 's/[^0-9]*([0-9]+).*/\1/' <<<"$1"; }
