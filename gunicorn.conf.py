"""Gunicorn configuration for SIKANDA (read from the working directory, or
`gunicorn -c gunicorn.conf.py`). Every value that differs per host comes from
the environment; the defaults are what a small regency server runs.

    GUNICORN_BIND       127.0.0.1:8001   behind the TLS proxy (nginx, Caddy)
    GUNICORN_WORKERS    2 x cores + 1    each worker holds ~150 MB
    GUNICORN_TIMEOUT    30               seconds before a stuck worker is killed
    GUNICORN_CONTROL_SOCKET  (off)       path for `gunicornc`, when wanted
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "cms.wsgi:application"
bind = [item.strip() for item in os.environ.get("GUNICORN_BIND", "127.0.0.1:8001").split(",")]

# Sync workers: every request is short database work; a slow page is a bug to
# fix, not something to hide behind threads.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
# Explicit, so a page that runs away ends as a logged WORKER TIMEOUT instead
# of holding a worker; uploads of 10 attachments x 10 MB fit well inside it.
timeout = _int("GUNICORN_TIMEOUT", 30)
# A deploy or `systemctl reload` lets requests in flight finish this long.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then: one huge page (an admin listing at 1M rows)
# leaves a worker's heap grown for good. The jitter keeps them from all
# restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The worker heartbeat file on tmpfs: a slow disk must not look like a hung
# worker. Gunicorn opens it with mkstemp and unlinks it at once.
SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(SHM):
    worker_tmp_dir = SHM

# The control socket defaults to one path per user; two instances on a host
# would fight over it, so it is on only when a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# One line per request with its duration and the request id: the proxy's
# X-Request-ID as received and the id the application answered with (the
# GraphQL endpoint generates one when the proxy sent none), so a line here
# can be followed into the application log. "-" when absent.
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" '
    "req_id=%({x-request-id}i)s resp_id=%({x-request-id}o)s"
)
# The TLS proxy on the same host sets X-Forwarded-Proto / -For.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "sikanda-web"
