"""Disaster report series (初报 → 续报 × n → 核报) and their time limits.

A series is its initial report and the reports that name it (``DisasterReport.series_id``, the
record's parent: a series lives where its initial report lives). Which report may come next is the
DISASTER_SERIES state machine over the stages filed so far, checked here for the device's forms
and imports and, with the same function, by the server for every pushed report.

Time limits are reference data (rules.json ``time_limits``, adjustable by an office): the village
or community reports to the street within ``disaster_village_to_town_hours`` of the disaster (the
county to the city within ``disaster_initial_report_hours``); while it is not stable an update is
due every day by ``disaster_update_by_hour`` o'clock (the 24 hour zero report, covering up to
midnight before); the final report within ``disaster_final_report_working_days`` working days of
its becoming stable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import DisasterReport
from caseapp.errors import WorkflowError
from caseapp.services.workflows import DISASTER_SERIES
from caseapp.validation.times import CITY_TZ

INITIAL, UPDATE, FINAL = "initial", "update", "final"
#: what a follow-up report starts from: the latest report's description and cumulative totals
#: (everything but the record's stamps and what is the new report's own)
OWN = frozenset({"id", "org_code", "author", "device", "created_at", "updated_at", "updated_by", "archived",
                 "series_id", "stage", "reported_at", "reporter", "reviewer"})
CARRIED = tuple(name for name in DisasterReport.field_names() if name not in OWN)
#: China Standard Time, the offices' wall clock (a laptop there runs on it; tests name it)
CST = CITY_TZ


def check_series(stage: str, series_id: str | None, filed: Sequence[str] | None) -> None:
    """May a report of ``stage`` join the series of ``series_id``, whose reports (the initial one
    first) have the stages ``filed`` (None: no such initial report is held)? Raises WorkflowError."""
    if stage == INITIAL:
        if series_id:
            raise WorkflowError("workflow.initial_has_series", "series_id")
        return
    if not series_id or not filed or filed[0] != INITIAL:
        raise WorkflowError("workflow.series_missing", "series_id")
    if FINAL in filed:
        raise WorkflowError("workflow.series_closed", "stage")
    DISASTER_SERIES.check(filed[-1], stage, None, "stage")


def filed_stages(reports: Sequence[Mapping[str, Any]], series_id: str) -> list[str] | None:
    """The stages of a series as ``check_series`` takes them, from its reports' fields (any order;
    archived reports do not count): the initial report's first, then by report time."""
    live = [r for r in reports if not r.get("archived")]
    initial = [r for r in live if r.get("id") == series_id and r.get("stage") == INITIAL]
    if not initial:
        return None
    rest = sorted((r for r in live if r.get("series_id") == series_id),
                  key=lambda r: (str(r.get("reported_at") or ""), str(r.get("id"))))
    return [INITIAL, *(str(r.get("stage")) for r in rest)]


def series(session: Session, report: DisasterReport) -> list[DisasterReport]:
    """The whole series ``report`` belongs to, initial report first, then by report time."""
    head = report.series_id or report.id
    return list(session.scalars(
        select(DisasterReport).where((DisasterReport.id == head) | (DisasterReport.series_id == head),
                                     DisasterReport.archived.is_(False))
        .order_by(DisasterReport.series_id.is_not(None), DisasterReport.reported_at, DisasterReport.id)))


def stages_after(filed: Sequence[DisasterReport]) -> list[str]:
    """The stages a new report may have in a series filed so far as ``filed`` (initial first):
    those ``check_series`` lets in (none once it has its 核报)."""
    stages = [r.stage for r in filed]
    head = filed[0].id if filed else None
    allowed = []
    for stage in (UPDATE, FINAL):
        try:
            check_series(stage, head, stages)
        except WorkflowError:
            continue
        allowed.append(stage)
    return allowed


def next_stages(session: Session, report: DisasterReport) -> list[str]:
    """The stages a new report in ``report``'s series may have (empty once it has its 核报)."""
    return stages_after(series(session, report))


def follow_up(session: Session, report: DisasterReport, stage: str, reporter: str,
              now: dt.datetime | None = None) -> dict[str, Any]:
    """The values a new 续报 or 核报 of ``report``'s series starts with: the series' latest
    figures (totals so far), its stage, the initial report it belongs to (and its place), its
    reporter, now. WorkflowError when the series takes no report of that stage."""
    filed = series(session, report)
    check_series(stage, filed[0].id if filed else None, [r.stage for r in filed])
    values = {name: getattr(filed[-1], name) for name in CARRIED}
    values.update(stage=stage, series_id=filed[0].id, org_code=filed[0].org_code, reporter=reporter,
                  reported_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0))
    return values


@dataclass(frozen=True)
class Limit:
    """When the next report of a series is due, and which rule says so."""

    stage: str
    due: dt.datetime | None  # None: no fixed time (a 核报 waits for the disaster to be stable)
    rule: str  # a message key: the rule in words


def initial_due(occurred_at: dt.datetime) -> dt.datetime:
    """When the community's initial report to the street is due."""
    return occurred_at + dt.timedelta(hours=refdata.rules().time_limit("disaster_village_to_town_hours"))


def late_by(report: DisasterReport) -> dt.timedelta | None:
    """How late an initial report was filed (None when within its limit, or not an initial one)."""
    if report.stage != INITIAL:
        return None
    late = report.reported_at - initial_due(report.occurred_at)
    return late if late > dt.timedelta(0) else None


def due_after(filed: Sequence[DisasterReport], zone: dt.tzinfo | None = None) -> list[Limit]:
    """What a series filed so far as ``filed`` still owes: the next daily update (by
    disaster_update_by_hour on the wall clock of ``zone``, the machine's own when None, the day
    after its latest report), and the final report (no fixed time until the disaster is stable)."""
    stages = stages_after(filed)
    found: list[Limit] = []
    if UPDATE in stages:
        local = filed[-1].reported_at.astimezone(zone)
        hour = refdata.rules().time_limit("disaster_update_by_hour")
        due = (local + dt.timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)
        found.append(Limit(UPDATE, due.astimezone(dt.UTC), "disaster.limit_update"))
    if FINAL in stages:
        found.append(Limit(FINAL, None, "disaster.limit_final"))
    return found


def next_due(session: Session, report: DisasterReport, zone: dt.tzinfo | None = None) -> list[Limit]:
    """What the series of ``report`` still owes (``due_after``)."""
    return due_after(series(session, report), zone)
