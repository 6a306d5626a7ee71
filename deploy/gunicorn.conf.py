"""gunicorn's configuration for Qorgau: `gunicorn -c deploy/gunicorn.conf.py config.wsgi` (deploy/bin/qorgau-start web).

Every value may be changed by an environment variable of the same EnvironmentFile as the application's.
"""

import multiprocessing
import os

# nginx on the same machine talks to this address; several nodes behind one nginx: 0.0.0.0:8000 and a firewall.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers, two per core and one more (the requests wait on PostgreSQL, not on the CPU).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# nginx buffers the whole upload before it calls us, so a slow phone never holds a worker; a request that still
# takes this long is stuck and its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle each worker after so many requests (± jitter so they do not all restart at once): bounds slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# The application (and its start-up checks, config/startup.py) is loaded once, before the workers fork: a
# misconfigured production stops here with the checks' messages instead of every worker failing in turn.
preload_app = True
# X-Forwarded-Proto and -For are believed from these addresses only: nginx's, as QORGAU_TRUSTED_PROXIES says.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or os.environ.get(
    "QORGAU_TRUSTED_PROXIES", "127.0.0.1,::1"
)
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's documented advice
# Access log to stdout (journald or docker), one line per request with nginx's request id, also in the
# application's JSON logs (request_id) and in the Celery tasks the request queued.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = (
    '%({x-forwarded-for}i)s - %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}i)s "%(a)s"'
)
proc_name = "qorgau-web"
