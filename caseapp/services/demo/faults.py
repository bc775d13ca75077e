"""One violation of every check across records (caseapp.services.quality), seeded into a demo
workspace (caseapp.services.demo) the way such data arrives though every save refuses it (two devices
offline, an old release, a hostile device): written straight into the tables, past the save checks.
The done-when proof of issue 12 uses it twice: tests/services/test_quality_on_demo.py and
bench/office_check.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, text

from caseapp.ids import new_id
from caseapp.services import quality

#: checks that flag both records of a pair: the seeded one and the one it repeats
PAIRS = ("duplicate_id", "two_open_cases", "two_open_applications")


def _one(conn: Connection, sql: str, **params: Any) -> Any:
    row = conn.execute(text(sql + " LIMIT 1"), params).mappings().first()
    if row is None:
        raise LookupError(f"the demo has no record to seed: {sql}")
    return row


def seed(conn: Connection, today: dt.date) -> dict[str, str]:
    """One violation per check, written past the save checks; the id of the record each check must flag."""
    seeded: dict[str, str] = {}
    a = _one(conn, "SELECT id, household_id, id_number FROM members WHERE archived = 0 AND length(id_number) = 18")
    b = _one(conn, "SELECT id FROM members WHERE archived = 0 AND household_id != :h AND length(id_number) = 18",
             h=a["household_id"])
    conn.execute(text("UPDATE members SET id_number = :n WHERE id = :id"), {"n": a["id_number"], "id": b["id"]})
    seeded["duplicate_id"] = b["id"]

    paid = ("SELECT c.* FROM assistance_cases c WHERE c.archived = 0 AND c.status IN ('active', 'review_due') "
            "AND c.category = 'dibao'")
    over = _one(conn, paid + " AND c.id NOT IN (:x) ORDER BY c.id", x="")
    conn.execute(text("UPDATE assistance_cases SET people_covered = 99, amount_reason = 'x' WHERE id = :id"),
                 {"id": over["id"]})
    seeded["covered_exceeds_members"] = over["id"]

    twin = dict(_one(conn, paid + " AND c.id != :x ORDER BY c.id DESC", x=over["id"]))
    twin["id"] = new_id()
    columns = ", ".join(twin)
    conn.execute(text(f"INSERT INTO assistance_cases ({columns}) VALUES ({', '.join(':' + k for k in twin)})"), twin)
    seeded["two_open_cases"] = twin["id"]

    elder = _one(conn, "SELECT e.id, e.member_id FROM elder_profiles e JOIN members m ON m.id = e.member_id "
                       f"WHERE e.archived = 0 AND {quality.born('m')} <= :born", born=f"{today.year - 85}-01-01")
    conn.execute(text("UPDATE elder_profiles SET archived = 1 WHERE member_id = :m"), {"m": elder["member_id"]})
    seeded["elder_without_profile"] = elder["member_id"]

    unverified = _one(conn, paid + " AND c.household_id NOT IN (SELECT household_id FROM assistance_cases "
                                   "WHERE id IN (:a, :b)) ORDER BY c.id", a=over["id"], b=twin["id"])
    conn.execute(text("UPDATE verifications SET conclusion = 'ineligible' WHERE household_id = :h"),
                 {"h": unverified["household_id"]})
    seeded["dibao_without_verification"] = unverified["id"]

    late = _one(conn, paid + " AND c.next_review_date >= :today AND c.id NOT IN (:a, :b) ORDER BY c.id",
                today=today.isoformat(), a=over["id"], b=twin["id"])
    conn.execute(text("UPDATE assistance_cases SET next_review_date = :d WHERE id = :id"),
                 {"d": (today - dt.timedelta(days=3)).isoformat(), "id": late["id"]})
    seeded["review_overdue"] = late["id"]

    child = _one(conn, "SELECT m.id, hd.birth_date AS head_born FROM members m JOIN members hd ON "
                       "hd.household_id = m.household_id AND hd.relationship = '02' AND hd.archived = 0 "
                       "WHERE m.archived = 0 AND m.relationship BETWEEN '20' AND '39' AND hd.birth_date IS NOT NULL")
    older = (dt.date.fromisoformat(child["head_born"]) - dt.timedelta(days=400)).isoformat()
    conn.execute(text("UPDATE members SET birth_date = :d, id_number = NULL WHERE id = :id"),
                 {"d": older, "id": child["id"]})
    seeded["age_against_relationship"] = child["id"]

    typed = _one(conn, paid + " AND c.id NOT IN (:a, :b, :c) AND CAST(c.monthly_amount AS REAL) > 0 ORDER BY c.id",
                 a=over["id"], b=twin["id"], c=unverified["id"])
    conn.execute(text("UPDATE assistance_cases SET monthly_amount = '%.2f', amount_reason = '' WHERE id = :id"
                      % (float(typed["monthly_amount"]) + 137)), {"id": typed["id"]})
    seeded["amount_without_reason"] = typed["id"]

    # the demo's 特困 households have their members assessed: one of them, now 65, loses the assessment
    tekun = _one(conn, "SELECT m.id FROM members m JOIN assistance_cases c ON c.household_id = m.household_id "
                       "WHERE m.archived = 0 AND c.archived = 0 AND c.category LIKE 'tekun%' "
                       f"AND c.status NOT IN ({', '.join(repr(s) for s in quality.CLOSED)}) ORDER BY m.relationship")
    conn.execute(text("UPDATE members SET birth_date = :d, id_number = NULL, self_care_result = NULL WHERE id = :id"),
                 {"d": today.replace(year=today.year - 65, day=1).isoformat(), "id": tekun["id"]})
    seeded["tekun_without_self_care"] = tekun["id"]

    queued = dict(_one(conn, "SELECT * FROM care_applications WHERE archived = 0 "
                             f"AND status NOT IN ({', '.join(repr(s) for s in quality.CARE_CLOSED)}) ORDER BY id"))
    queued["id"] = new_id()  # the same elder applies again, offline on a second laptop
    conn.execute(text(f"INSERT INTO care_applications ({', '.join(queued)}) "
                      f"VALUES ({', '.join(':' + k for k in queued)})"), queued)
    seeded["two_open_applications"] = queued["id"]

    # a household placed at a building of another grid of its community (a re-draw half done: the
    # building moved to the grid next door, the household not yet), and one at a building of another
    # community (a mistyped pick that reached the workspace unjudged)
    placed = ("SELECT h.id, h.building_id, h.org_code FROM households h JOIN buildings b ON b.id = h.building_id "
              "WHERE h.archived = 0 AND b.org_code = h.org_code ORDER BY h.id")
    home = _one(conn, placed)
    redrawn = dict(_one(conn, "SELECT * FROM buildings WHERE id = :b", b=home["building_id"]))
    redrawn.update(id=new_id(), org_code=home["org_code"][:12] + "999")
    conn.execute(text(f"INSERT INTO buildings ({', '.join(redrawn)}) VALUES ({', '.join(':' + k for k in redrawn)})"),
                 redrawn)
    conn.execute(text("UPDATE households SET building_id = :b WHERE id = :id"), {"b": redrawn["id"], "id": home["id"]})
    seeded["household_outside_grid"] = home["id"]
    away = _one(conn, placed.replace("ORDER BY", "AND h.id != :a ORDER BY"), a=home["id"])
    there = _one(conn, "SELECT id FROM buildings WHERE substr(org_code, 1, 12) != :c ORDER BY id",
                 c=away["org_code"][:12])
    conn.execute(text("UPDATE households SET building_id = :b WHERE id = :id"), {"b": there["id"], "id": away["id"]})
    seeded["household_outside_community"] = away["id"]

    # a 临时救助 grant typed as a monthly amount with no approval day: nothing to convert it on
    # (caseapp.services.one_off_amounts), so no payment; the demo records its grants as payments
    grant = _one(conn, "SELECT c.id FROM assistance_cases c WHERE c.archived = 0 AND c.category = 'temporary' "
                       "ORDER BY c.id")
    conn.execute(text("UPDATE assistance_cases SET monthly_amount = '800.00', approved_on = NULL WHERE id = :id"),
                 {"id": grant["id"]})
    conn.execute(text("DELETE FROM case_payments WHERE case_id = :id"), {"id": grant["id"]})
    seeded["one_off_without_payment"] = grant["id"]
    return seeded
