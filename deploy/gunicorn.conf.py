"""gunicorn settings for deploy/hub-web.service (measured on a 2-core machine: see README "Beyond one machine")."""

import gc
import multiprocessing

bind = "127.0.0.1:8000"  # nginx in front (deploy/nginx.conf); never exposed directly
# Two processes per core, two threads each: pages wait on the database and on uploads more than on CPU.
workers = multiprocessing.cpu_count() * 2
threads = 2
# Uploads arrive through nginx, which buffers the form; tus chunks of 8 MB stream through.
timeout = 120
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory)
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
# The request id nginx sends (X-Request-Id, $request_id) is in the hub's log lines and echoed back.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'


def child_exit(server, worker):
    """prometheus_client multiprocess mode: forget a dead worker's live gauges."""
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    """Keep what every worker loads at start (the hub, Babel's locale data, SQLAlchemy's mappers: some 190,000
    objects) out of the garbage collector's full passes, which walked them all: 8 ms of a discussion page on
    average (README "Page cost and how it grows")."""
    gc.freeze()
