"""Disaster report series: which report may come next, what a follow-up starts from, and when
each is due (caseapp.services.disaster)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import DisasterReport
from caseapp.errors import WorkflowError
from caseapp.services import disaster, records
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE

GRID = "44010400100701"
T0 = dt.datetime(2026, 9, 16, 1, 30, tzinfo=dt.UTC)  # 09:30 in Guangzhou
BASE = {"org_code": GRID, "disaster_type": "typhoon", "occurred_at": T0, "place": "龙凤街道"}


def _report(s: object, stage: str, at: dt.datetime, series: str | None = None, **figures: object) -> DisasterReport:
    return records.create(s, DisasterReport, {**BASE, "stage": stage, "reported_at": at,  # type: ignore[arg-type]
                                              **({"series_id": series} if series else {}), **figures})


def test_a_follow_up_starts_from_the_latest_totals_and_stays_in_the_series(ws: Workspace) -> None:
    with ws.write() as s:
        first = _report(s, "initial", T0 + dt.timedelta(minutes=40), affected=120, relocated=30,
                        houses_collapsed_households=2, narrative="台风“山竹”过境，龙凤街道多处树木倒伏")
        assert disaster.next_stages(s, first) == ["update", "final"]
        values = disaster.follow_up(s, first, "update", "李文", now=T0 + dt.timedelta(hours=20))
        assert values["series_id"] == first.id and values["stage"] == "update" and values["reporter"] == "李文"
        assert (values["affected"], values["relocated"], values["houses_collapsed_households"]) == (120, 30, 2)
        assert values["narrative"] == first.narrative and values["occurred_at"] == T0
        second = records.create(s, DisasterReport, {**values, "affected": 150})
        assert second.org_code == first.org_code
        # the next follow-up starts from the update's figures, and names the initial report
        again = disaster.follow_up(s, second, "final", "李文", now=T0 + dt.timedelta(days=3))
        assert again["affected"] == 150 and again["series_id"] == first.id
        final = records.create(s, DisasterReport, again)
        assert [r.stage for r in disaster.series(s, final)] == ["initial", "update", "final"]
        assert disaster.next_stages(s, first) == [] and disaster.next_due(s, first) == []
        with pytest.raises(WorkflowError) as closed:
            disaster.follow_up(s, second, "update", "李文")
    assert closed.value.key == "workflow.series_closed"


def test_time_limits(ws: Workspace) -> None:
    with ws.write() as s:
        on_time = _report(s, "initial", T0 + dt.timedelta(minutes=59))
        late = _report(s, "initial", T0 + dt.timedelta(hours=3, minutes=30))
        assert disaster.late_by(on_time) is None
        assert disaster.late_by(late) == dt.timedelta(hours=2, minutes=30)  # the community's limit: 1 hour
        due = disaster.next_due(s, on_time, disaster.CST)
        # the next daily update: 09:00 Guangzhou time the day after the latest report (01:00 UTC)
        assert [(d.stage, d.due) for d in due] == [("update", dt.datetime(2026, 9, 17, 1, 0, tzinfo=dt.UTC)),
                                                   ("final", None)]
        update = _report(s, "update", dt.datetime(2026, 9, 17, 0, 50, tzinfo=dt.UTC), series=on_time.id)
        assert disaster.next_due(s, update, disaster.CST)[0].due == dt.datetime(2026, 9, 18, 1, 0, tzinfo=dt.UTC)
        assert disaster.late_by(update) is None  # (only an initial report has an hour limit)


STAGES = st.lists(st.tuples(st.sampled_from(["initial", "update", "final"]), st.booleans()), min_size=1,
                  max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=STAGES)
def test_a_series_is_one_initial_then_updates_then_at_most_one_final(tmp_path: Path,
                                                                      attempts: list[tuple[str, bool]]) -> None:
    """Whatever is tried, in whatever order, what is accepted is 初报, 续报…, 核报 — and what is
    refused says why."""
    folder = tmp_path / f"w{abs(hash(tuple(attempts)))}"
    ws, _ = Workspace.create(folder, PASSPHRASE, kdf=TEST_KDF)
    try:
        with ws.write() as s:
            head = _report(s, "initial", T0 + dt.timedelta(minutes=5))
            accepted = ["initial"]
            for n, (stage, in_series) in enumerate(attempts):
                at = T0 + dt.timedelta(hours=n + 1)
                expected_ok = (in_series and stage != "initial" and "final" not in accepted) or (
                    stage == "initial" and not in_series)
                try:
                    _report(s, stage, at, series=head.id if in_series else None)
                except WorkflowError as refused:
                    assert not expected_ok, (stage, in_series, refused.key)
                    assert refused.key in ("workflow.series_closed", "workflow.series_missing",
                                           "workflow.initial_has_series")
                else:
                    assert expected_ok, (stage, in_series, accepted)
                    if in_series:
                        accepted.append(stage)
            assert [r.stage for r in disaster.series(s, head)] == accepted
            assert accepted.count("final") <= 1 and "initial" not in accepted[1:]
    finally:
        ws.close()


def test_an_archived_report_does_not_count_in_its_series(ws: Workspace) -> None:
    with ws.write() as s:
        first = _report(s, "initial", T0 + dt.timedelta(minutes=5))
        wrong = _report(s, "final", T0 + dt.timedelta(hours=1), series=first.id)
        records.archive(s, wrong)  # filed by mistake
        assert disaster.next_stages(s, first) == ["update", "final"]
        _report(s, "update", T0 + dt.timedelta(hours=2), series=first.id)
