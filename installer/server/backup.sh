#!/usr/bin/env bash
# Backups of the sync server's PostgreSQL database, and the restore drill that proves them.
#   backup.sh backup                 pg_dump (custom format) into $BACKUP_DIR, keeping the newest $BACKUP_KEEP
#   backup.sh restore FILE DBNAME    restore FILE into a new database DBNAME (refused if it exists)
#   backup.sh drill [FILE]           restore FILE (default: the newest backup) into a scratch database,
#                                    check it (`caseapp-server check`: schema at head, every attachment
#                                    whole), compare its row counts with the live database's, drop it
# The connection comes from libpq's variables: PGHOST, PGPORT, PGUSER, PGPASSWORD (or ~/.pgpass),
# PGDATABASE (the live database). Attachments are stored in the database (attachment_chunks), so
# one dump holds everything the server has; devices hold their own copies besides.
# Schedule: `backup.sh backup && backup.sh drill` nightly (cron, a systemd timer, or compose's backup
# service), and copy $BACKUP_DIR off the host. Exit status 0 only when everything checked out.
set -euo pipefail
BACKUP_DIR=${BACKUP_DIR:-/var/backups/caseapp}
BACKUP_KEEP=${BACKUP_KEEP:-14}
SERVER=${CASEAPP_SERVER_BIN:-caseapp-server}
live=${PGDATABASE:?set PGDATABASE to the live database}

say() { echo "backup.sh: $*" >&2; }
url_for() { echo "postgresql+psycopg:///$1"; }  # host, user, password from the PG* variables

backup() {
  mkdir -p "$BACKUP_DIR" && chmod 700 "$BACKUP_DIR"
  local name tmp
  name="$BACKUP_DIR/caseapp-$(date -u +%Y%m%dT%H%M%SZ).dump"
  tmp="$name.partial"
  # one consistent snapshot of every table, attachments included; written aside, then renamed
  (umask 077 && pg_dump --format=custom --no-owner --no-privileges --file="$tmp" "$live")
  sync "$tmp" 2>/dev/null || sync
  mv "$tmp" "$name"
  say "wrote $name ($(du -h "$name" | cut -f1))"
  ls -1t "$BACKUP_DIR"/caseapp-*.dump | tail -n +$((BACKUP_KEEP + 1)) | while read -r old; do
    rm -f -- "$old" && say "removed $old (keeping $BACKUP_KEEP)"
  done
  echo "$name"
}

restore() {
  local file=${1:?restore FILE DBNAME} target=${2:?restore FILE DBNAME}
  if [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$target'")" = "1" ]; then
    say "database $target exists: restore into a new one (and switch CASEAPP_SERVER_DB to it)"; return 1
  fi
  createdb "$target"
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$target" "$file"
  say "restored $file into $target"
}

drill() {
  local file=${1:-}
  [ -n "$file" ] || file=$(ls -1t "$BACKUP_DIR"/caseapp-*.dump 2>/dev/null | head -n 1)
  [ -n "$file" ] || { say "no backup in $BACKUP_DIR"; return 1; }
  local scratch="caseapp_drill_$(date -u +%Y%m%d%H%M%S)_$$"
  restore "$file" "$scratch"
  local status=0 restored current
  restored=$("$SERVER" --db "$(url_for "$scratch")" check) || status=1
  current=$("$SERVER" --db "$(url_for "$live")" check) || true
  echo "$restored"
  if [ "$status" -ne 0 ]; then
    say "DRILL FAILED: the restored copy of $file does not check out"
  elif diff <(grep '^rows ' <<<"$restored") <(grep '^rows ' <<<"$current") >/dev/null; then
    say "drill passed: $file restores, checks out, and its row counts match $live"
  else
    say "drill passed: $file restores and checks out; row counts differ from $live (changed since the dump):"
    diff <(grep '^rows ' <<<"$restored") <(grep '^rows ' <<<"$current") >&2 || true
  fi
  [ -n "${KEEP_DRILL:-}" ] && say "kept $scratch" || dropdb "$scratch"
  return "$status"
}

case "${1:-}" in
  backup) backup ;;
  restore) shift; restore "$@" ;;
  drill) shift; drill "$@" ;;
  *) sed -n '2,6p' "$0" >&2; exit 2 ;;
esac
