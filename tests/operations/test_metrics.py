"""/metrics (off unless configured, protected, parsed by prometheus_client), request ids and JSON logs."""

import io
import json
import logging
from datetime import timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from hub import mail
from hub.db import utcnow
from hub.extensions import db
from hub.jobs import services as jobs
from hub.operations import requestlog
from hub.search.models import SearchChange
from tests.library.library_samples import pdf_bytes

TOKEN = "a-long-random-scrape-token-0123456789"


def figures(response) -> dict:
    """{(sample name, labels as a sorted tuple): value} from the exposition text."""
    text = response.get_data(as_text=True)
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def scrape(client):
    return client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})


def test_metrics_are_off_unless_configured(client):
    assert client.get("/metrics").status_code == 404


def test_metrics_need_the_token_or_an_allowed_address(app, client):
    app.config["METRICS_TOKEN"] = TOKEN
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert scrape(client).status_code == 200
    app.config.update(METRICS_TOKEN="", METRICS_ALLOW=["127.0.0.1"])
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403


def test_requests_uploads_and_queues_are_counted(app, client, csrf_off, sign_in, create_user):
    app.config["METRICS_TOKEN"] = TOKEN
    sign_in(create_user())
    pdf = pdf_bytes("Budgets")
    for _ in range(3):
        client.get("/")
    client.get("/no-such-page")
    assert client.post("/library/new", content_type="multipart/form-data", data={
        "kind": "document", "title": "Guide", "licence": "cc-by", "organisation_id": "0", "community_id": "0",
        "file": (io.BytesIO(pdf), "guide.pdf")}).status_code == 302
    an_hour_ago = utcnow() - timedelta(hours=1)
    jobs.enqueue("search.apply", run_after=an_hour_ago)
    db.session.add(SearchChange(kind="item", object_id=1, created_at=an_hour_ago))
    db.session.add(mail.EmailOutbox(recipient="x@example.org", message=b"", status=mail.FAILED))
    db.session.commit()

    response = scrape(client)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    found = figures(response)
    home = ("hub_requests_total", (("endpoint", "core.home"), ("method", "GET"), ("status", "2xx")))
    assert found[home] >= 3
    assert found[("hub_requests_total", (("endpoint", "none"), ("method", "GET"), ("status", "4xx")))] >= 1
    assert found[("hub_request_duration_seconds_count", (("endpoint", "core.home"),))] >= 3
    assert found[("hub_upload_bytes_total", ())] >= len(pdf)
    assert found[("hub_jobs_due", ())] >= 1 and found[("hub_jobs_oldest_due_age_seconds", ())] >= 3500
    assert found[("hub_search_outbox_pending", ())] >= 1 and found[("hub_search_outbox_lag_seconds", ())] >= 3500
    assert found[("hub_mail_failed", ())] == 1
    assert found[("hub_job_runner_heartbeat_age_seconds", ())] == float("inf")  # no runner yet
    jobs.runner_heartbeat(db.engine, "here:1")
    assert figures(scrape(client))[("hub_job_runner_heartbeat_age_seconds", ())] < 60


def test_a_request_id_is_echoed_and_made_up_when_missing_or_odd(client):
    given = client.get("/", headers={"X-Request-Id": "abc-123.x"})
    assert given.headers["X-Request-Id"] == "abc-123.x"
    made_up = client.get("/").headers["X-Request-Id"]
    assert len(made_up) == 32
    odd = client.get("/", headers={"X-Request-Id": "x" * 500}).headers["X-Request-Id"]
    assert odd != "x" * 500 and len(odd) == 32


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_log_lines_carry_the_request_id(app, client, log_format):
    app.config["LOG_FORMAT"] = log_format
    requestlog.configure_logging(app)
    handler = next(h for h in logging.getLogger("hub").handlers if getattr(h, "hub_request_log", False))
    lines = []
    handler.emit = lambda record: lines.append(handler.format(record))  # the real formatter and filter
    app.add_url_rule("/log-probe", "log_probe", lambda: (logging.getLogger("hub.probe").warning("probe é"), "")[1])
    client.get("/log-probe", headers={"X-Request-Id": "req-42"})
    line = next(line for line in lines if "probe" in line)
    if log_format == "json":
        assert json.loads(line) | {"time": None} == {"time": None, "level": "WARNING", "logger": "hub.probe",
                                                     "message": "probe é", "request_id": "req-42"}
    else:
        assert "[req-42] hub.probe: probe é" in line
    app.config["LOG_FORMAT"] = "text"
    requestlog.configure_logging(app)
