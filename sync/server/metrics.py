"""What the server counts for operators, in Prometheus's text format (``GET /metrics``).

Counters and histograms live in this process; under several worker processes (``caseapp-server
serve --workers N`` sets ``PROMETHEUS_MULTIPROC_DIR``) each writes its own file and a scrape of
any one of them adds all of them up. Device counts are read from the database at scrape time, so
they are the same whichever process answers. Labels are bounded: route templates, verdict names
and refusal message keys, never a path, a user or a device.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from sync import protocol as p
from sync.server import schema
from sync.server.db import Database

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: a device counts as active when it was seen within this window
ACTIVE_WINDOWS_MS = {"1d": 86_400_000, "30d": 30 * 86_400_000}

REQUESTS = Counter("caseapp_http_requests_total", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("caseapp_http_request_duration_seconds", "Time to answer a request", ["method", "route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
PUSH_OPS = Counter("caseapp_push_ops_total", "Pushed operations, by the server's verdict "
                   "(applied, merged, conflict, rejected)", ["verdict"])
CONFLICTS = Counter("caseapp_conflicts_total", "Conflicts opened by pushes")
REJECTIONS = Counter("caseapp_rejections_total", "Pushed operations refused, by reason (a message key)", ["reason"])
PULLS = Counter("caseapp_pull_pages_total", "Pull pages served")
PULLED_ROWS = Counter("caseapp_pull_records_total", "Records sent in pull pages")


def pushed(verdicts: Sequence[p.Verdict]) -> None:
    for v in verdicts:
        PUSH_OPS.labels(v.verdict).inc()
        if v.verdict == "conflict":
            CONFLICTS.inc()
        elif v.verdict == "rejected":
            REJECTIONS.labels(v.reason or "unknown").inc()


def pulled(rows: int) -> None:
    PULLS.inc()
    PULLED_ROWS.inc(rows)


class DeviceCollector(Collector):
    """Registered, revoked and recently seen devices, counted in the database when scraped."""

    def __init__(self, db: Database, now_ms: Callable[[], int]) -> None:
        self.db = db
        self.now_ms = now_ms

    def collect(self) -> Iterable[GaugeMetricFamily]:
        d = schema.devices.c
        now = self.now_ms()
        with self.db.read() as conn:
            rows = conn.execute(select(d.revoked, func.count()).group_by(d.revoked)).all()
            by_state: dict[bool, int] = dict(rows)
            active = {window: conn.execute(select(func.count()).where(d.revoked.is_(False),
                                                                      d.last_seen_ms >= now - span)).scalar_one()
                      for window, span in ACTIVE_WINDOWS_MS.items()}
        devices = GaugeMetricFamily("caseapp_devices", "Registered devices", labels=["state"])
        devices.add_metric(["active"], by_state.get(False, 0))
        devices.add_metric(["revoked"], by_state.get(True, 0))
        yield devices
        seen = GaugeMetricFamily("caseapp_active_devices", "Devices not revoked and seen within the window",
                                 labels=["window"])
        for window, count in active.items():
            seen.add_metric([window], count)
        yield seen


def exposition(devices: DeviceCollector) -> bytes:
    """The scrape's body: this process's (or all workers') counters, then the device counts."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        counters = generate_latest(registry)
    else:
        counters = generate_latest(REGISTRY)
    extra = CollectorRegistry()
    extra.register(devices)
    return counters + generate_latest(extra)
