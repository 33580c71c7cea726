"""gunicorn's settings for the production shape (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py recordaccess.wsgi`.

Each value can be changed from the environment without editing this file. Two processes a core, of two threads
each: a process runs Python on one core at a time, and a browser's connection stays with the process that took it,
so with one process a core a busy process queued pages while the other core idled (the load run: 2 × 4 gave a
patient page p95 of 230 ms and staff 349 ms with the cores 68% busy; 4 × 2 gave 118 ms, benchmarks/results.md).
The second thread serves while the first waits for the database.
"""

import multiprocessing
import os

# Where to listen: the front server (or load balancer) connects here. A unix socket is written "unix:/path".
bind = [os.environ.get("WEB_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "2"))
# A request that takes longer than this is a fault: its worker is restarted, and the log says so.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Restart each process now and then, at different times, so a slow leak can never take the service down.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Django, the templates and the URL table are loaded once, before the processes fork.
preload_app = True
# The front servers whose X-Forwarded-* headers gunicorn believes (the scheme only: the client's address comes from
# the app's own TRUSTED_PROXIES, recordaccess/core/network.py).
forwarded_allow_ips = ",".join(
    proxy.strip() for proxy in os.environ.get("TRUSTED_PROXIES", "127.0.0.1").split(",") if proxy.strip()
)
# Request limits well above anything a browser sends, well below anything that could exhaust memory.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# The access log names the path without its query string (a search box's words can be a patient's name), the
# status, the size and the time taken in milliseconds.
accesslog = os.environ.get("WEB_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "recordaccess-web"


def post_fork(server, worker):
    """A forked process must not share the parent's database connections: each opens its own on first use."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
