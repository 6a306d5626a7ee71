#!/usr/bin/env bash
# Restores an archive of scripts/backup.sh into DATABASE_URL and QORGAU_MEDIA_ROOT, then proves it:
#   scripts/restore.sh var/backups/qorgau-20261128T020000Z.tar
# The database is created if missing and its contents replaced; the current media folder is moved aside
# (MEDIA_ROOT.before-restore-STAMP). Then `manage.py migrate --check` (run `manage.py deploy` if the code is newer
# than the backup) and `manage.py verify_media` (every file against its SHA-256). Stop the web servers, workers and
# beat first. ENV_FILE=/etc/qorgau/qorgau.env sources the settings; VENV defaults to .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
archive="$(realpath "${1:?usage: scripts/restore.sh ARCHIVE.tar}")"
if [ -n "${ENV_FILE:-}" ]; then set -a; . "$ENV_FILE"; set +a; fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
media="${QORGAU_MEDIA_ROOT:-var/media}"
VENV="${VENV:-.venv}"
umask 027
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tar -C "$work" -xf "$archive"
(cd "$work" && sha256sum --check --quiet SHA256SUMS) || { echo "The archive is damaged: SHA-256 mismatch." >&2; exit 1; }
cat "$work/MANIFEST"

# The database: created when missing (through the server's maintenance database), then replaced.
name="${DATABASE_URL##*/}"; name="${name%%\?*}"
server="${DATABASE_URL%/*}"
if ! psql "$DATABASE_URL" -Atc "SELECT 1" >/dev/null 2>&1; then
  psql "$server/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$name\""
fi
pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$work/database.dump"

# The files: the current folder is kept aside, never overwritten.
if [ -d "$media" ] && [ -n "$(ls -A "$media" 2>/dev/null)" ]; then
  aside="$media.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  mv "$media" "$aside"
  echo "The previous media folder is kept in $aside"
fi
mkdir -p "$media"
tar -C "$media" -xf "$work/media.tar"

"$VENV/bin/python" manage.py migrate --check || {
  echo "The code has migrations the backup has not: run manage.py deploy." >&2; exit 2; }
"$VENV/bin/python" manage.py verify_media
echo "Restored $archive"
