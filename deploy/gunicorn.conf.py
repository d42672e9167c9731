"""Gunicorn settings for PCMD (``gunicorn -c deploy/gunicorn.conf.py config.wsgi``).

Every value can be overridden from the environment file (deploy/pcmd.env.example).
"""

import multiprocessing
import os

# Behind the reverse proxy on the same machine: listen on loopback only.
bind = os.environ.get("PCMD_BIND", "127.0.0.1:8000")
# Sync workers: the pages are short database-bound requests; 2 per core + 1.
workers = int(os.environ.get("PCMD_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A long export or a document conversion may take a while; more than this is a fault.
timeout = int(os.environ.get("PCMD_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory held by large exports goes back to the system).
max_requests = 2000
max_requests_jitter = 200
# The application logs one JSON line per request itself (pcmd.core.request_log); gunicorn's
# access log would repeat it with the query string, which may carry names: off.
accesslog = None
errorlog = "-"
loglevel = "warning"
# The proxy sets X-Forwarded-Proto; trust it from the loopback proxy only.
forwarded_allow_ips = "127.0.0.1,::1"
proxy_allow_ips = "127.0.0.1,::1"


def post_worker_init(worker):  # noqa: ARG001 - gunicorn's hook signature
    """Before a new worker accepts requests, do what its first pages would otherwise do:
    import the views, compile the templates, fill the URL resolver (pcmd.web.warmup). A cold
    worker's first page took 1.2-1.5 s instead of ~0.1 s."""
    from pcmd.web.warmup import warm

    warm()
