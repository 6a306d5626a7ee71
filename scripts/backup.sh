#!/usr/bin/env bash
# One timestamped archive of everything Qorgau keeps: the database (pg_dump -Fc) and the media folder (evidence,
# notices, draft uploads, statistics reports), with their SHA-256 sums.
#   scripts/backup.sh            -> $QORGAU_BACKUP_DIR/qorgau-YYYYmmddTHHMMSSZ.tar (default var/backups)
# Reads DATABASE_URL and QORGAU_MEDIA_ROOT as the application does (ENV_FILE=/etc/qorgau/qorgau.env to source one).
# Retention: archives older than QORGAU_BACKUP_KEEP_DAYS (default 14) are deleted after a successful backup; the
# newest QORGAU_BACKUP_KEEP_MIN (default 3) are always kept. Run it nightly (cron or a systemd timer) as the
# service user, and copy the archives to another machine: a backup on the same disk is no backup.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${ENV_FILE:-}" ]; then set -a; . "$ENV_FILE"; set +a; fi
: "${DATABASE_URL:?DATABASE_URL is not set}"
media="${QORGAU_MEDIA_ROOT:-var/media}"
dest="${QORGAU_BACKUP_DIR:-var/backups}"
keep_days="${QORGAU_BACKUP_KEEP_DAYS:-14}"
keep_min="${QORGAU_BACKUP_KEEP_MIN:-3}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
umask 077
mkdir -p "$dest" "$media"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The database first, then the files: every file a row of the dump names was written before its row committed.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$work/database.dump"
tar -C "$media" -cf "$work/media.tar" .
{
  echo "created_at=$stamp"
  echo "commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "database=${DATABASE_URL##*/}"
} > "$work/MANIFEST"
(cd "$work" && sha256sum database.dump media.tar MANIFEST > SHA256SUMS)
archive="$dest/qorgau-$stamp.tar"
tar -C "$work" -cf "$archive.partial" MANIFEST SHA256SUMS database.dump media.tar
mv "$archive.partial" "$archive"
echo "Backup: $archive ($(du -h "$archive" | cut -f1))"

# Retention: older than keep_days, except the newest keep_min.
ls -1t "$dest"/qorgau-*.tar 2>/dev/null | tail -n +"$((keep_min + 1))" | while read -r old; do
  if [ -n "$(find "$old" -mtime +"$keep_days" -print)" ]; then rm -f "$old" && echo "Removed (older than $keep_days days): $old"; fi
done
