#!/usr/bin/env bash
# The production topology on this machine's loopback, with the deploy kit's own scripts and files:
#   nginx (deploy/nginx, TLS with a self-signed certificate) -> gunicorn (deploy/gunicorn.conf.py, production
#   settings) -> PostgreSQL; Redis as the broker; one Celery worker and beat (deploy/bin/qorgau-start); a local
#   SMTP sink standing in for the hospital's mail server.
#   scripts/topology.sh up      install (deploy/bin/qorgau-install), deploy, demo data, start, wait for /readyz
#   scripts/topology.sh down    stop what `up` started (by the pids it wrote)
# Settings (defaults): TOPOLOGY_DIR (var/topology), TOPOLOGY_DATABASE_URL (postgres://postgres@127.0.0.1:5432/
# qorgau_topology, recreated), TOPOLOGY_REDIS_URL (unset: its own redis-server on TOPOLOGY_REDIS_PORT, 6390, which
# a test may stop), TOPOLOGY_HTTPS_PORT (8443),
# TOPOLOGY_HTTP_PORT (8080), TOPOLOGY_WEB_PORT (8001), TOPOLOGY_LIVE_PORT (8011, the alarms' WebSockets), TOPOLOGY_SMTP_PORT (2525), TOPOLOGY_SKIP_INSTALL (0),
# TOPOLOGY_WEB_NODES (web "hosts" behind nginx, e.g. "127.0.0.2:8001 127.0.0.3:8001"; default 127.0.0.1:WEB_PORT),
# TOPOLOGY_WORKERS (worker "hosts", 1), TOPOLOGY_EXTRA_ENV (lines added to the EnvironmentFile).
# Needs nginx and openssl (`make topology-system-packages`), redis-server, PostgreSQL running (.ci/run starts it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
DIR="$(realpath -m "${TOPOLOGY_DIR:-var/topology}")"
VENV="$(realpath -m "${VENV:-.venv}")"
export VENV
HTTPS_PORT="${TOPOLOGY_HTTPS_PORT:-8443}"
HTTP_PORT="${TOPOLOGY_HTTP_PORT:-8080}"
WEB_PORT="${TOPOLOGY_WEB_PORT:-8001}"
LIVE_PORT="${TOPOLOGY_LIVE_PORT:-8011}"
SMTP_PORT="${TOPOLOGY_SMTP_PORT:-2525}"
DATABASE_URL_T="${TOPOLOGY_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qorgau_topology}"
REDIS_PORT="${TOPOLOGY_REDIS_PORT:-6390}"
REDIS_URL_T="${TOPOLOGY_REDIS_URL:-redis://127.0.0.1:${REDIS_PORT}/0}"
BASE_URL="https://127.0.0.1:${HTTPS_PORT}"

started_at=$(date +%s.%N)
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started_at" "$(date +%s.%N)"; }
log() { echo "[topology $(elapsed) s] $*"; }

start() {  # name, command...: in its own session, output to logs/NAME.log, pid to pids/NAME.pid
  local name="$1"; shift
  setsid "$@" > "$DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/pids/$name.pid"
}

down() {
  [ -d "$DIR/pids" ] || return 0
  for pidfile in "$DIR"/pids/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
  if [ -f "$DIR/nginx/nginx.pid" ]; then
    pid="$(cat "$DIR/nginx/nginx.pid")"; kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  echo "Topology stopped."
}

up() {
  down >/dev/null 2>&1 || true
  mkdir -p "$DIR"/{logs,pids,tls,nginx,media}
  if [ "${TOPOLOGY_SKIP_INSTALL:-0}" != 1 ]; then
    log "install: deploy/bin/qorgau-install"
    bash deploy/bin/qorgau-install
  fi
  command -v nginx >/dev/null || { echo "nginx is not installed: make topology-system-packages" >&2; exit 1; }

  log "PostgreSQL: a fresh ${DATABASE_URL_T##*/}"
  server="${DATABASE_URL_T%/*}"; name="${DATABASE_URL_T##*/}"
  psql "$server/postgres" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""
  if [ -z "${TOPOLOGY_REDIS_URL:-}" ]; then
    log "Redis (the broker and the cache) on 127.0.0.1:$REDIS_PORT"
    start redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$DIR"
    for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  redis-cli -u "$REDIS_URL_T" flushdb >/dev/null

  if [ ! -s "$DIR/tls/fullchain.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
      -keyout "$DIR/tls/privkey.pem" -out "$DIR/tls/fullchain.pem" 2>/dev/null
  fi
  demo_password="demo-$(python3 -c 'import secrets; print(secrets.token_urlsafe(9))')"
  echo "$demo_password" > "$DIR/demo-password"
  # The EnvironmentFile a hospital writes (deploy/qorgau.env.example), for this loopback.
  cat > "$DIR/qorgau.env" <<ENV
DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
DJANGO_CSRF_TRUSTED_ORIGINS=$BASE_URL
QORGAU_SITE_URL=$BASE_URL
# Loopback only: the site address is this machine's, which production refuses (qorgau.E003) unless told.
DJANGO_SILENCED_SYSTEM_CHECKS=qorgau.E003
QORGAU_TRUSTED_PROXIES=127.0.0.1
DATABASE_URL=$DATABASE_URL_T
REDIS_URL=$REDIS_URL_T
EMAIL_URL=smtp://127.0.0.1:$SMTP_PORT
QORGAU_MEDIA_ROOT=$DIR/media
QORGAU_X_ACCEL_REDIRECT_PREFIX=/protected-media/
GUNICORN_WORKERS=${TOPOLOGY_GUNICORN_WORKERS:-3}
# Every address nginx may connect from (several loopback "hosts").
GUNICORN_FORWARDED_ALLOW_IPS=*
QORGAU_WORKER_CONCURRENCY=2
QORGAU_DEMO_PASSWORD=$demo_password
# Loopback only: the demo officer logs in with a password (the browser test has no authenticator app).
QORGAU_2FA_REQUIRED=False
${TOPOLOGY_EXTRA_ENV:-}
ENV
  set -a; . "$DIR/qorgau.env"; set +a

  log "mail sink on 127.0.0.1:$SMTP_PORT"
  start smtp "$VENV/bin/python" -W ignore -m smtpd -n -c DebuggingServer "127.0.0.1:$SMTP_PORT"

  log "deploy: deploy/bin/qorgau-start deploy"
  deploy/bin/qorgau-start deploy > "$DIR/logs/deploy.log"
  log "reference data and demo accounts (load_demo); the demo posts get an address at the mail sink"
  "$VENV/bin/python" manage.py load_demo > "$DIR/logs/load_demo.log"
  "$VENV/bin/python" manage.py shell -c "
from facilities.models import PolicePost
for post in PolicePost.objects.filter(email=''):
    post.email = post.code.lower() + '@police.example.kz'
    post.save(update_fields=['email'])
"

  log "gunicorn, live (uvicorn), worker, beat: deploy/bin/qorgau-start"
  web_nodes="${TOPOLOGY_WEB_NODES:-127.0.0.1:$WEB_PORT}"
  n=0
  for node in $web_nodes; do
    n=$((n + 1))
    start "web-$n" env GUNICORN_BIND="$node" deploy/bin/qorgau-start web
  done
  for n in $(seq "${TOPOLOGY_WORKERS:-1}"); do
    start "worker-$n" deploy/bin/qorgau-start worker "host$n"
  done
  start beat deploy/bin/qorgau-start beat
  # The alarms' live channel: uvicorn behind nginx's /ws/ location (WebSocket upgrade).
  start live env QORGAU_LIVE_BIND="127.0.0.1:$LIVE_PORT" deploy/bin/qorgau-start live

  log "nginx: deploy/bin/qorgau-nginx-site on $BASE_URL"
  QORGAU_SERVER_NAME="127.0.0.1 localhost" QORGAU_TLS_CERT="$DIR/tls/fullchain.pem" QORGAU_TLS_KEY="$DIR/tls/privkey.pem" \
    QORGAU_HTTP_LISTEN="127.0.0.1:$HTTP_PORT" QORGAU_HTTPS_LISTEN="127.0.0.1:$HTTPS_PORT" QORGAU_ROOT="$ROOT" \
    QORGAU_UPSTREAMS="$web_nodes" QORGAU_LIVE_UPSTREAMS="127.0.0.1:$LIVE_PORT" bash deploy/bin/qorgau-nginx-site > "$DIR/nginx/qorgau.conf"
  cat > "$DIR/nginx/nginx.conf" <<NGINX
# The machine's nginx.conf, reduced to what a loopback run needs; the site is deploy's own template.
user $(id -un);
worker_processes 2;
pid $DIR/nginx/nginx.pid;
error_log $DIR/logs/nginx-error.log warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log $DIR/logs/nginx-access.log;
    client_body_temp_path $DIR/nginx/client_body;
    proxy_temp_path $DIR/nginx/proxy;
    fastcgi_temp_path $DIR/nginx/fastcgi;
    uwsgi_temp_path $DIR/nginx/uwsgi;
    scgi_temp_path $DIR/nginx/scgi;
    include $DIR/nginx/qorgau.conf;
}
NGINX
  nginx -t -q -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"
  nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx"

  log "waiting for $BASE_URL/readyz"
  for _ in $(seq 240); do
    if body="$(curl -sk --max-time 5 "$BASE_URL/readyz")" \
      && python3 -c 'import json, sys; sys.exit(json.loads(sys.argv[1])["status"] != "ok")' "$body" 2>/dev/null; then
      log "healthy: $body"
      echo "$BASE_URL" > "$DIR/url"
      return 0
    fi
    sleep 0.5
  done
  echo "The topology did not become healthy; /readyz says: ${body:-nothing}" >&2
  tail -n 30 "$DIR"/logs/*.log >&2
  exit 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: scripts/topology.sh up|down" >&2; exit 2 ;;
esac
