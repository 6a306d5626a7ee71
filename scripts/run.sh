#!/usr/bin/env bash
# `make run`: migrate, load Almaty's reference data and demo accounts, start everything.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=config.settings.local
PY=.venv/bin/python

mkdir -p var
# One random demo password per checkout, kept out of git, printed below.
if [ ! -s var/demo-password ]; then
  $PY -c 'import secrets; print("demo-" + secrets.token_urlsafe(9))' > var/demo-password
fi
export QORGAU_DEMO_PASSWORD="$(cat var/demo-password)"

if [ -n "${DATABASE_URL:-}" ]; then
  echo "Database: ${DATABASE_URL%%@*}@… (PostgreSQL from DATABASE_URL)"
else
  echo "Database: SQLite in $(pwd)/db.sqlite3 (set DATABASE_URL to use PostgreSQL)"
fi
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py load_demo
# Two years of synthetic incidents (marked SEED-…) so the statistics have something to show.
$PY manage.py seed_demo --incidents 600 --unless-seeded

if [ -n "${REDIS_URL:-}" ]; then
  echo "Tasks: Celery worker and beat on ${REDIS_URL}"
  procfile=Procfile
else
  echo "Tasks: no REDIS_URL set, so Celery tasks run in-process: in the web server, and periodic ones in the beat process (no worker)."
  procfile=Procfile.eager
fi
# A demo API key for post ALA-PP-03 (a panic button), kept in var/demo-api-key like the demo password.
DEMO_API_KEY="$($PY manage.py apikey_demo var/demo-api-key)"
cat <<MSG

  Qorgau is starting at  http://127.0.0.1:${PORT:-8000}/
  Demo accounts (password for all: ${QORGAU_DEMO_PASSWORD}):
$($PY manage.py load_demo --list-accounts | sed 's/^/    /')

  Demo API key (panic button of post ALA-PP-03; docs at http://127.0.0.1:${PORT:-8000}/api/v1/docs/):
    ${DEMO_API_KEY}
  Raise an alarm with it (it shows in the alarms of "officer", the demo officer of that post):
    curl -X POST http://127.0.0.1:${PORT:-8000}/api/v1/alarms/ -H "Authorization: Api-Key ${DEMO_API_KEY}" \\
      -H "Idempotency-Key: \$(python3 -c 'import uuid; print(uuid.uuid4())')" \\
      -H "Content-Type: application/json" -d '{"place": "admission, room 3"}'

  Press Ctrl-C to stop.
MSG
# honcho hands each process PORT=5000 and up unless told the base port: the web server must get the one printed above.
exec .venv/bin/honcho -f "$procfile" start --port "${PORT:-8000}"
