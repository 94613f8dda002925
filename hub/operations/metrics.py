"""/metrics in Prometheus' text format: off (404) unless METRICS_TOKEN or METRICS_ALLOW is set.

Requests (count and latency by endpoint) and upload bytes are counted in each process; with several
gunicorn workers set PROMETHEUS_MULTIPROC_DIR (an empty folder, emptied at each start) so the counts of
every worker are summed at scrape time. Queue figures — jobs waiting and the oldest one's age, the
search outbox's lag, mail that failed, the job runner's last heartbeat — are read from the database
at scrape time, so they are right whichever process answers.
"""

import hmac
import os
import time

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from hub import mail
from hub.db import utcnow
from hub.extensions import db
from hub.jobs.models import FAILED, QUEUED, Job, JobRunner
from hub.search.models import SearchChange

bp = Blueprint("operations", __name__)

#: Registered in no registry of their own: each scrape builds one (or reads every worker's files).
REQUESTS = Counter("hub_requests", "HTTP requests answered, by endpoint, method and status class",
                   ["endpoint", "method", "status"], registry=None)
LATENCY = Histogram("hub_request_duration_seconds", "Time to answer a request, by endpoint", ["endpoint"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10), registry=None)
UPLOAD_BYTES = Counter("hub_upload_bytes", "Bytes received by the library's upload routes", registry=None)
UPLOAD_ENDPOINTS = ("library.create", "library.edit", "library.uploads.patch")


def register(app) -> None:
    """Count every request (even with /metrics off: counting is cheap) and serve /metrics."""
    app.before_request(_start_clock)
    app.after_request(_count)
    app.register_blueprint(bp)


def _start_clock():
    g.metrics_started = time.perf_counter()


def _count(response):
    endpoint = request.endpoint or "none"  # unmatched URLs share one label: no label per random path
    started = g.get("metrics_started")
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    REQUESTS.labels(endpoint, request.method, f"{response.status_code // 100}xx").inc()
    if endpoint in UPLOAD_ENDPOINTS and request.method in ("POST", "PATCH") and response.status_code < 400:
        UPLOAD_BYTES.inc(request.content_length or 0)
    return response


def allowed() -> bool:
    """A bearer token compared in constant time, or an address on the allow list (after ProxyFix)."""
    token = current_app.config["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    return request.remote_addr in current_app.config["METRICS_ALLOW"]


@bp.route("/metrics")
def metrics():
    """The figures for Prometheus; 404 when metrics are off, 403 to anyone not allowed."""
    if not (current_app.config["METRICS_TOKEN"] or current_app.config["METRICS_ALLOW"]):
        abort(404)
    if not allowed():
        abort(403)
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        for metric in (REQUESTS, LATENCY, UPLOAD_BYTES):
            registry.register(metric)
    registry.register(DatabaseFigures())
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def _age(oldest) -> float:
    return max((utcnow() - oldest).total_seconds(), 0.0) if oldest is not None else 0.0


class DatabaseFigures:
    """Queue figures read at scrape time (one query each, on indexed columns)."""

    def collect(self):
        now = utcnow()
        jobs = db.session.execute(sa.select(sa.func.count(), sa.func.min(Job.run_after))
                                  .where(Job.status == QUEUED, Job.run_after <= now)).one()
        failed_jobs = db.session.scalar(sa.select(sa.func.count()).where(Job.status == FAILED))
        outbox = db.session.execute(sa.select(sa.func.count(), sa.func.min(SearchChange.created_at))).one()
        mail_failed = db.session.scalar(sa.select(sa.func.count()).where(mail.EmailOutbox.status == mail.FAILED))
        mail_queued = db.session.scalar(sa.select(sa.func.count()).where(mail.EmailOutbox.status == mail.QUEUED))
        last_beat = db.session.scalar(sa.select(sa.func.max(JobRunner.beat_at)))
        db.session.rollback()
        yield from (
            GaugeMetricFamily("hub_jobs_due", "Jobs due and waiting for a runner", value=jobs[0]),
            GaugeMetricFamily("hub_jobs_oldest_due_age_seconds", "How long the oldest due job has waited",
                              value=_age(jobs[1])),
            GaugeMetricFamily("hub_jobs_failed", "Jobs that ran out of attempts", value=failed_jobs),
            GaugeMetricFamily("hub_search_outbox_pending", "Search changes not yet in the index", value=outbox[0]),
            GaugeMetricFamily("hub_search_outbox_lag_seconds", "Age of the oldest search change not yet indexed",
                              value=_age(outbox[1])),
            GaugeMetricFamily("hub_mail_failed", "Messages the mail server refused for good", value=mail_failed),
            GaugeMetricFamily("hub_mail_queued", "Messages waiting to be sent", value=mail_queued),
            GaugeMetricFamily("hub_job_runner_heartbeat_age_seconds",
                              "Seconds since a job runner last said it is alive (large: no runner)",
                              value=_age(last_beat) if last_beat else float("inf")))
