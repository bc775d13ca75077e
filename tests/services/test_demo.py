"""The demo generator: valid, plausible, deterministic Guangzhou data written through the normal
(journaled, audited) write path."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from caseapp import refdata
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ENTITIES, AssistanceCase, Household, Member, Record
from caseapp.domain.base import META_FIELDS
from caseapp.domain.codec import record_to_wire
from caseapp.services import demo
from caseapp.services.validate import clean
from caseapp.store import audit
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from caseapp.validation import MIDDLE_DOT, luhn_ok, parse_id_number
from tests.conftest import PASSPHRASE

TODAY = dt.date.today()
# Fields a device stamps for itself: they differ between two runs with the same seed.
PER_DEVICE = frozenset({"id", "author", "device", "created_at", "updated_at", "updated_by", "server_pos"})


@pytest.fixture(scope="module")
def plan_records() -> list[Record]:
    """A mid-sized dataset built in memory (no database): enough for distributions."""
    plan = demo.DemoPlan(1200, seed=11, today=TODAY)
    return plan.org_units() + plan.household_records(0, 1200) + plan.closing_records()


def of(records: list[Record], entity: str) -> list[Any]:
    return [r for r in records if r.entity == entity]


def make_ws(path: Path) -> Workspace:
    ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="demo")
    return ws


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = make_ws(tmp_path_factory.mktemp("demo") / "ws")
    calls: list[tuple[int, int]] = []
    summary = demo.generate(ws, 250, seed=5, batch=100, today=TODAY, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(100, 250), (200, 250), (250, 250)]
    assert summary.households == 250 and summary.counts["household"] == 250
    ws.summary = summary  # type: ignore[attr-defined]
    yield ws
    ws.close()


def test_every_id_number_is_valid_and_agrees_with_sex_and_birth_date(plan_records: list[Record]) -> None:
    members = of(plan_records, "member")
    for m in members:
        info = parse_id_number(m.id_number, today=TODAY)
        assert info.number == m.id_number
        assert info.sex == m.sex, m.id_number
        assert info.birth_date == m.birth_date, m.id_number
    assert len({m.id_number for m in members}) == len(members)
    # IDs carry the district code, or for older residents that of a division abolished in 2014
    areas = Counter(m.id_number[:6] for m in members)
    assert areas.keys() & {"440183", "440184", "440116"} or not areas.keys() & {"440117", "440118", "440112"}


def test_a_sample_of_every_record_type_passes_validation(plan_records: list[Record]) -> None:
    rng = random.Random(0)
    by_entity: dict[str, list[Record]] = {}
    for r in plan_records:
        by_entity.setdefault(r.entity, []).append(r)
    assert {"household", "member", "income_item", "assistance_case", "case_review", "investigation", "verification",
            "elder_profile", "care_visit", "grid_event", "grid_event_update", "patrol_log", "social_work_case",
            "case_note", "referral", "disaster_report", "org_unit", "appraisal", "public_notice", "child_profile",
            "child_visit", "veteran_profile", "veteran_visit", "emergency_call",
            "care_application"} <= set(by_entity)
    for records in by_entity.values():
        for r in rng.sample(records, min(len(records), 150)):
            fields = {k: v for k, v in r.values().items()
                      if v is not None and (k not in META_FIELDS or k in ("org_code", "archived"))}
            clean(type(r), fields)  # raises ValidationErrors listing anything wrong
    for h in of(plan_records, "household"):
        if h.bank_account:
            assert luhn_ok(h.bank_account)


def test_households_are_plausible(plan_records: list[Record]) -> None:
    households = of(plan_records, "household")
    members = of(plan_records, "member")
    by_household: dict[str, list[Any]] = {}
    for m in members:
        by_household.setdefault(m.household_id, []).append(m)
    assert len(by_household) == len(households)
    for h in households:
        people = by_household[h.id]
        heads = [m for m in people if m.relationship == "02"]
        assert len(heads) == 1 and heads[0].name == h.head_name
        assert len({m.name for m in people}) == len(people)  # no two members alike
        head = heads[0]
        assert all(m.org_code == h.org_code for m in people)
        for m in people:
            years = (head.birth_date - m.birth_date).days / 365.25
            if m.relationship in ("21", "22", "23", "24", "31", "32", "33", "34"):  # children of the head
                assert 14 < -years < 50
            if m.relationship in ("51", "52"):  # parents
                assert 18 < years < 50
            if m.relationship in ("41", "42"):  # grandchildren
                assert -years > 30
        district = h.org_code[:6]
        assert h.address.startswith(refdata.division(district).name)  # type: ignore[union-attr]
        assert refdata.division(h.org_code[:12]) is not None  # a real community
        assert re.fullmatch(r"[0-9]{12}[0-9]{3}", h.org_code)  # grid: community + 3-digit sequence


def test_distributions_are_sane(plan_records: list[Record]) -> None:
    members = of(plan_records, "member")
    households = of(plan_records, "household")
    sexes = Counter(m.sex for m in members)
    assert 0.42 < sexes["M"] / len(members) < 0.58
    per_household = len(members) / len(households)
    assert 2.2 < per_household < 3.6
    grids = Counter(h.org_code for h in households)
    assert max(grids.values()) == 200 and len(grids) == 6
    minority = [m.name for m in members if MIDDLE_DOT in m.name]
    assert minority and all(m.count(MIDDLE_DOT) == 1 for m in minority)
    surnames = Counter(m.name[0] for m in members if MIDDLE_DOT not in m.name)
    assert surnames.most_common(1)[0][0] == "陈"  # the commonest surname in Guangdong
    cases = of(plan_records, "assistance_case")
    dibao = {c.household_id for c in cases if c.category == "dibao"}
    assert 0.02 < len(dibao) / len(households) < 0.15
    statuses = Counter(c.status for c in cases)
    assert statuses["active"] > len(cases) / 2 and len(statuses) >= 5
    for c in cases:
        if c.status in ("active", "taper") and refdata.rules().has_periodic_review(c.category):
            assert c.next_review_date is not None and c.next_review_date >= TODAY
        if c.status == "exited":
            assert c.exit_reason
    elders = of(plan_records, "elder_profile")
    over_60 = [m for m in members if (TODAY - m.birth_date).days >= 60 * 365.25 + 1]
    assert abs(len(elders) - len(over_60)) <= 2  # birthdays near today may round either way
    tiers = Counter(e.risk_tier for e in elders)
    assert tiers["normal"] > tiers["key"] > 0 and tiers["high"] > 0
    visits = of(plan_records, "care_visit")
    now = dt.datetime.now(dt.UTC)
    assert visits and all(v.visited_at < now for v in visits)
    assert all(e.occurred_at < now for e in of(plan_records, "grid_event"))
    assert len({e.status for e in of(plan_records, "grid_event")}) >= 4


def test_everything_is_journaled_and_audited(demo_ws: Workspace) -> None:
    summary = demo_ws.summary  # type: ignore[attr-defined]
    with demo_ws.read() as s:
        creates = s.scalar(select(func.count()).select_from(JournalEntry).where(JournalEntry.op == "create"))
        assert creates == summary.records
        assert s.scalar(select(func.count()).select_from(Household)) == 250
        assert s.scalar(select(func.count()).select_from(Member)) == summary.counts["member"]
        assert audit.verify(s.connection()) == []
        assert all(c.author == "demo" for c in s.scalars(select(AssistanceCase)))


def canonical(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Every record without its per-device fields, ids replaced by their position in creation
    order (UUIDv7 ids sort by creation time), so two runs can be compared."""
    with ws.read() as s:
        records = {cls.entity: list(s.scalars(select(cls).order_by(cls.id))) for cls in ENTITIES.values()}
    position = {r.id: f"{entity}#{i}" for entity, rows in records.items() for i, r in enumerate(rows)}
    ids = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")
    out: dict[str, list[dict[str, Any]]] = {}
    for entity, rows in records.items():
        out[entity] = [{k: ids.sub(lambda m: position.get(m.group(), "?"), v) if isinstance(v, str) else v
                        for k, v in record_to_wire(r).items() if k not in PER_DEVICE} for r in rows]
    return out


def test_same_seed_gives_the_same_records_whatever_the_batch_size(demo_ws: Workspace, tmp_path: Path) -> None:
    other = make_ws(tmp_path / "again")
    try:
        demo.generate(other, 250, seed=5, batch=37, today=TODAY)
        assert canonical(other) == canonical(demo_ws)
    finally:
        other.close()


def test_another_seed_gives_other_records() -> None:
    one = demo.DemoPlan(50, seed=1, today=TODAY).household_records(0, 50)
    two = demo.DemoPlan(50, seed=2, today=TODAY).household_records(0, 50)
    assert [r.name for r in of(one, "member")] != [r.name for r in of(two, "member")]


def test_batches_must_come_in_order() -> None:
    plan = demo.DemoPlan(10, seed=0, today=TODAY)
    with pytest.raises(ValueError):
        plan.household_records(5, 10)


def test_a_case_notice_fields_say_what_its_notice_says_and_every_appraisal_had_a_quorum(
        plan_records: list[Record]) -> None:
    from caseapp.domain.appraisal import has_quorum

    notices = {n.case_id: n for n in of(plan_records, "public_notice")}
    cases = {c.id: c for c in of(plan_records, "assistance_case")}
    assert notices and set(notices) <= set(cases)
    for case_id, notice in notices.items():
        case = cases[case_id]
        assert case.notice_started_on == notice.started_on and notice.started_on <= TODAY
        assert case.notice_objections.split("\n")[0] == notice.objections
        if case.status not in ("public_notice",):
            assert notice.objections, case.status  # a notice that ran has its objections recorded
    for case in cases.values():
        if case.status in ("approval", "active") and case.category == "dibao":
            assert case.id in notices
    appraisals = of(plan_records, "appraisal")
    assert appraisals and all(has_quorum(a.present, a.panel_size) for a in appraisals)
    assert of(plan_records, "child_visit") and {v.child_id for v in of(plan_records, "child_visit")} <= {
        c.id for c in of(plan_records, "child_profile")}


def test_a_demo_call_has_what_its_stage_needs(plan_records: list[Record]) -> None:
    from caseapp.services.workflows import EMERGENCY_CALL

    calls = of(plan_records, "emergency_call")
    assert {c.status for c in calls} == set(EMERGENCY_CALL.states)
    for call in calls:
        if call.status in ("dispatch", "follow"):
            assert call.dispatched_to and call.dispatched_at >= call.called_at
        if call.status == "resolved":
            assert call.outcome and call.resolved_at >= call.called_at
        assert call.device_no


def test_households_are_placed_in_dwellings_of_their_own_grid_one_a_dwelling(plan_records: list[Record]) -> None:
    buildings = {b.id: b for b in of(plan_records, "building")}
    dwellings = {(d.building_id, d.room_no): d for d in of(plan_records, "dwelling")}
    residents = of(plan_records, "resident")
    grids = {h.org_code for h in of(plan_records, "household")}
    assert {b.org_code for b in buildings.values()} == grids  # every grid has its buildings
    placed = [h for h in of(plan_records, "household") if h.building_id]
    assert placed and len({(h.building_id, h.room_no) for h in placed}) == len(placed)
    for home in placed:
        building = buildings[home.building_id]
        assert building.org_code == home.org_code
        assert dwellings[(home.building_id, home.room_no)].occupancy == "owner"
        assert f"{building.road}{building.house_no}" in home.address and home.room_no in home.address
    for person in residents:  # tenants, in a let dwelling
        assert dwellings[(person.building_id, person.room_no)].occupancy == "rented"
        assert (person.population_type == "floating") == bool(person.residence_reason) or \
            person.population_type == "overseas"
    assert {p.population_type for p in residents} >= {"floating", "registered"}
