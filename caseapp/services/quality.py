"""Checks across records (数据质量检查): facts no single field can break but two records together can.

Each check is declared once (``CHECKS``): its code, the record type it flags, its severity ("error":
refused on save and import; "warning": listed only), its message key (caseapp.messages.quality) and
one SQL query over the workspace's tables. No check loops over records in Python: a 50,000-household
workspace is swept in a few queries. ``run`` lists the findings of a scope (the data-quality page,
the server's sweep); ``for_record`` runs the error checks of one record's household (the save path).

Every query yields ``record_id, household_id, record_text`` and the message's parameters, and has a
``{filter}`` placeholder the runner fills with the scope (an org-code prefix) and, for one record,
its household. A member's birth date is its own, else the one in its ID number (GB 11643).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import Household, Record
from caseapp.domain.buildings import OTHER_COMMUNITY, OTHER_GRID, placement, placement_sql
from caseapp.domain.households import HEAD
from caseapp.errors import ValidationError, ValidationErrors
from caseapp.messages import message
from caseapp.services import assessment, display
from caseapp.services.workflows import ASSISTANCE, CARE_APPLICATION

Severity = Literal["error", "warning"]

#: states in which a monthly allowance is paid (caseapp.services.ledgers.IN_PAYMENT)
IN_PAYMENT = ("active", "review_due", "taper")
#: an open case: not in a final state of its workflow
CLOSED = tuple(sorted(ASSISTANCE.final))
#: age from which an elder should have an elder profile (高龄, 80+)
ELDER_AGE = 80
#: age from which a member of a 特困 case needs a self-care assessment (60 周岁以上, 60 included)
SELF_CARE_AGE = 60
#: a care-place application still on the waiting list or being assessed (入住轮候)
CARE_CLOSED = tuple(sorted(CARE_APPLICATION.final))
#: the 特困 categories (集中供养, 分散供养)
TEKUN = ("tekun_centralized", "tekun_dispersed")

#: relationship codes (GB/T 4761) grouped by the generation they say the member is, relative to the
#: head: -1 younger (children, their spouses), -2 grandchildren, +1 parents, +2 grandparents
GENERATIONS: Mapping[tuple[str, str], int] = {("20", "39"): -1, ("40", "49"): -2, ("50", "59"): 1, ("60", "69"): 2}

#: a member's birth date as stored text: its own, else the one in an 18-digit ID number
_BORN = ("COALESCE({m}.birth_date, CASE WHEN length({m}.id_number) = 18 THEN substr({m}.id_number, 7, 4) || '-' || "
         "substr({m}.id_number, 11, 2) || '-' || substr({m}.id_number, 13, 2) END)")


def born(alias: str) -> str:
    return _BORN.format(m=alias)


def _placed(where: str) -> str:
    """The households placed at a building that stands ``where`` for them (caseapp.domain.buildings
    ``placement``), with the building's address and the code of its grid."""
    return f"""
        SELECT h.id AS record_id, h.id AS household_id, h.head_name AS record_text,
               trim(b.road || b.house_no || ' ' || b.name) AS building, b.org_code AS grid
        FROM households h JOIN buildings b ON b.id = h.building_id
        WHERE h.archived = 0 AND {{filter}} AND {placement_sql('h.org_code', 'b.org_code')} = '{where}'
        """


def _in_list(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)  # constants of this module, never user input


def _generation_sql(alias: str) -> str:
    cases = " ".join(f"WHEN {alias}.relationship BETWEEN '{lo}' AND '{hi}' THEN {gen}"
                     for (lo, hi), gen in GENERATIONS.items())
    return f"CASE {cases} ELSE 0 END"


@dataclass(frozen=True)
class Check:
    code: str
    #: the record type each finding names
    entity: str
    severity: Severity
    #: the field a refusal names (the one to correct)
    field: str
    #: message key (caseapp.messages.quality), with the query's extra columns as parameters
    key: str
    sql: str
    #: the columns the ``{filter}`` is written over: the flagged record's org code and household id
    org_column: str
    household_column: str
    #: the query lists candidates only: a finding stands where caseapp.services.assessment says the
    #: case's typed amount differs from the computed one (the standards are not in the database; the
    #: candidates are assessed together, ``assessment.assess_stored``)
    assessed: bool = False


@dataclass(frozen=True)
class Finding:
    check: str
    entity: str
    record_id: str
    household_id: str
    #: a short text naming the record (a member's name, the household head's)
    text: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        return BY_CODE[self.check].severity

    @property
    def key(self) -> str:
        return BY_CODE[self.check].key


def title_key(code: str) -> str:
    """The message key of a check's name (the data-quality page's groups)."""
    return f"quality.check.{code}"


CHECKS: tuple[Check, ...] = (
    # One person, one record (caseapp.services.members.check_id_free refuses it on save, whatever the
    # other record's state): existing data can still hold it (two devices added the same person offline).
    Check("duplicate_id", "member", "error", "id_number", "quality.duplicate_id", """
        SELECT m.id AS record_id, m.household_id, m.name AS record_text, m.id_number AS value,
               (SELECT count(*) FROM members o WHERE o.id_number = m.id_number AND o.id != m.id) AS others,
               (SELECT count(DISTINCT o.household_id) FROM members o WHERE o.id_number = m.id_number) AS households
        FROM members m
        WHERE m.id_number IS NOT NULL AND m.id_number != '' AND {filter}
          AND EXISTS (SELECT 1 FROM members o WHERE o.id_number = m.id_number AND o.id != m.id)
        """, "m.org_code", "m.household_id"),
    Check("covered_exceeds_members", "assistance_case", "error", "people_covered", "quality.covered_exceeds", f"""
        SELECT c.id AS record_id, c.household_id, h.head_name AS record_text, c.people_covered AS covered,
               (SELECT count(*) FROM members m WHERE m.household_id = c.household_id AND m.archived = 0) AS members
        FROM assistance_cases c JOIN households h ON h.id = c.household_id
        WHERE c.archived = 0 AND c.status NOT IN ({_in_list(CLOSED)}) AND {{filter}}
          AND c.people_covered > (SELECT count(*) FROM members m
                                  WHERE m.household_id = c.household_id AND m.archived = 0)
        """, "c.org_code", "c.household_id"),
    Check("two_open_cases", "assistance_case", "error", "category", "quality.two_open_cases", f"""
        SELECT c.id AS record_id, c.household_id, h.head_name AS record_text, c.category AS category
        FROM assistance_cases c JOIN households h ON h.id = c.household_id
        WHERE c.archived = 0 AND c.status NOT IN ({_in_list(CLOSED)}) AND {{filter}}
          AND EXISTS (SELECT 1 FROM assistance_cases o
                      WHERE o.household_id = c.household_id AND o.category = c.category AND o.id != c.id
                        AND o.archived = 0 AND o.status NOT IN ({_in_list(CLOSED)}))
        """, "c.org_code", "c.household_id"),
    Check("elder_without_profile", "member", "warning", "birth_date", "quality.elder_without_profile", f"""
        SELECT m.id AS record_id, m.household_id, m.name AS record_text, {born('m')} AS born
        FROM members m
        WHERE m.archived = 0 AND {born('m')} <= :elder_born AND {{filter}}
          AND NOT EXISTS (SELECT 1 FROM elder_profiles e WHERE e.member_id = m.id AND e.archived = 0)
        """, "m.org_code", "m.household_id"),
    Check("dibao_without_verification", "assistance_case", "warning", "status", "quality.dibao_unverified", f"""
        SELECT c.id AS record_id, c.household_id, h.head_name AS record_text, c.status AS status
        FROM assistance_cases c JOIN households h ON h.id = c.household_id
        WHERE c.archived = 0 AND c.category = 'dibao' AND c.status IN ({_in_list(IN_PAYMENT)}) AND {{filter}}
          AND NOT EXISTS (SELECT 1 FROM verifications v
                          WHERE v.household_id = c.household_id AND v.archived = 0 AND v.conclusion = 'eligible'
                            AND (v.case_id = c.id OR v.case_id IS NULL))
        """, "c.org_code", "c.household_id"),
    Check("review_overdue", "assistance_case", "warning", "next_review_date", "quality.review_overdue", f"""
        SELECT c.id AS record_id, c.household_id, h.head_name AS record_text, c.next_review_date AS due
        FROM assistance_cases c JOIN households h ON h.id = c.household_id
        WHERE c.archived = 0 AND c.status IN ({_in_list(IN_PAYMENT)}) AND c.next_review_date < :today
          AND {{filter}}
        """, "c.org_code", "c.household_id"),
    Check("age_against_relationship", "member", "warning", "relationship", "quality.age_relationship", f"""
        SELECT m.id AS record_id, m.household_id, m.name AS record_text, m.relationship AS relationship,
               hd.name AS head, {born('m')} AS born, {born('hd')} AS head_born
        FROM members m JOIN members hd ON hd.household_id = m.household_id AND hd.relationship = '{HEAD}'
                                       AND hd.archived = 0 AND hd.id != m.id
        WHERE m.archived = 0 AND {{filter}} AND {born('m')} IS NOT NULL AND {born('hd')} IS NOT NULL
          AND ((({_generation_sql('m')}) < 0 AND {born('m')} <= {born('hd')})
            OR (({_generation_sql('m')}) > 0 AND {born('m')} >= {born('hd')}))
        """, "m.org_code", "m.household_id"),
    # A typed amount that differs from the computed one (补差 plus 分类施保) needs its reason: the
    # query finds cases with an amount and no reason, the assessment decides.
    Check("amount_without_reason", "assistance_case", "error", "amount_reason", "quality.amount_differs", f"""
        SELECT c.id AS record_id, c.household_id, h.head_name AS record_text, c.monthly_amount AS amount
        FROM assistance_cases c JOIN households h ON h.id = c.household_id
        WHERE c.archived = 0 AND c.status NOT IN ({_in_list(CLOSED)}) AND {{filter}}
          AND trim(c.amount_reason) = '' AND CAST(c.monthly_amount AS REAL) != 0
        """, "c.org_code", "c.household_id", assessed=True),
    # One elder, one open application for a care place (入住轮候): a second one, to the same facility or
    # another, would queue the elder twice.
    Check("two_open_applications", "care_application", "error", "member_id", "quality.two_open_applications", f"""
        SELECT a.id AS record_id, a.household_id, m.name AS record_text, o.facility_name AS facility
        FROM care_applications a JOIN members m ON m.id = a.member_id
          JOIN care_applications o ON o.id = (SELECT min(x.id) FROM care_applications x
                                              WHERE x.member_id = a.member_id AND x.id != a.id AND x.archived = 0
                                                AND x.status NOT IN ({_in_list(CARE_CLOSED)}))
        WHERE a.archived = 0 AND a.status NOT IN ({_in_list(CARE_CLOSED)}) AND {{filter}}
        """, "a.org_code", "a.household_id"),
    # A member of a household with an open 特困 case, 60 or over, whose self-care assessment (the six
    # items of DOMAIN.md §2.1, on the member) has no date or no result: the care level the 特困
    # 照料护理 standard pays by is not known.
    Check("tekun_without_self_care", "member", "warning", "self_care_assessed_on", "quality.tekun_without_self_care",
          f"""
        SELECT m.id AS record_id, m.household_id, m.name AS record_text, {born('m')} AS born
        FROM members m
        WHERE m.archived = 0 AND {born('m')} <= :self_care_born AND {{filter}}
          AND (m.self_care_assessed_on IS NULL OR m.self_care_result IS NULL OR m.self_care_result = '')
          AND EXISTS (SELECT 1 FROM assistance_cases c
                      WHERE c.household_id = m.household_id AND c.archived = 0
                        AND c.category IN ({_in_list(TEKUN)}) AND c.status NOT IN ({_in_list(CLOSED)}))
        """, "m.org_code", "m.household_id"),
    # A household placed at a building of another grid (四标四实): its people count in that grid's
    # 实有人口 and its address is in that grid's ledger. In another grid of its own community it is
    # listed only: a grid re-drawn (网格调整) moves buildings and households one at a time, and either
    # may go first. In another community it is never right (a mistyped pick, a household moved away
    # still at its old address): refused on save, import and push.
    Check("household_outside_grid", "household", "warning", "building_id", "quality.household_outside_grid",
          _placed(OTHER_GRID), "h.org_code", "h.id"),
    Check("household_outside_community", "household", "error", "building_id",
          "quality.household_outside_community", _placed(OTHER_COMMUNITY), "h.org_code", "h.id"),
    # A one-off grant (临时救助, 医疗救助: the rules' one_off_categories) typed as a monthly amount, with
    # no payment record: caseapp.services.one_off_amounts turns it into its payment on its approval
    # day, so this is a case with none. The statistics count a one-off grant only by its payments.
    Check("one_off_without_payment", "assistance_case", "warning", "approved_on", "quality.one_off_without_payment",
          """
        SELECT c.id AS record_id, c.household_id, h.head_name AS record_text, c.monthly_amount AS amount
        FROM assistance_cases c JOIN households h ON h.id = c.household_id
        WHERE c.archived = 0 AND c.category IN (SELECT value FROM json_each(:one_off)) AND {filter}
          AND CAST(c.monthly_amount AS REAL) != 0
          AND NOT EXISTS (SELECT 1 FROM case_payments p WHERE p.case_id = c.id)
        """, "c.org_code", "c.household_id"),
)

BY_CODE: Mapping[str, Check] = {check.code: check for check in CHECKS}
#: (record type, type it is judged over): a case's error checks read its household's members and
#: their income items, so files and demo data write a case after them (caseapp.domain.tree
#: ``parents_first``) and a push, in that order, carries them no later than the case
JUDGED_OVER: tuple[tuple[str, str], ...] = (("assistance_case", "member"), ("assistance_case", "income_item"))
#: record types whose save the error checks judge after it is written (a member's ID number is judged
#: by caseapp.services.members before anything is written, on every way in)
SAVE_CHECKED = frozenset(c.entity for c in CHECKS if c.severity == "error") - {"member"}


def generation(relationship: str) -> int:
    """The generation a relationship code says a member is, relative to the head (GENERATIONS)."""
    return next((gen for (lo, hi), gen in GENERATIONS.items() if lo <= relationship <= hi), 0)


def _elder_born(today: dt.date, age: int = ELDER_AGE) -> str:
    """The latest birth date of someone ``age`` or older on ``today`` (29 Feb → 28 Feb)."""
    try:
        return today.replace(year=today.year - age).isoformat()
    except ValueError:
        return today.replace(year=today.year - age, day=28).isoformat()


def elder_born(today: dt.date, age: int = ELDER_AGE) -> str:
    """The latest birth date (ISO text) of someone ``age`` or older on ``today``: what a birth date
    is compared with, in SQL as in Python."""
    return _elder_born(today, age)


def _findings(session: Session, check: Check, scope: str, today: dt.date, household_id: str | None) -> list[Finding]:
    condition = f"{check.org_column} LIKE :scope"
    if household_id is not None:
        condition += f" AND {check.household_column} = :household"
    # org codes are digits: nothing in a scope is a LIKE wildcard
    params = {"scope": scope + "%", "today": today.isoformat(),
              "elder_born": _elder_born(today), "self_care_born": _elder_born(today, SELF_CARE_AGE),
              "household": household_id, "one_off": json.dumps(sorted(refdata.rules().one_off_categories))}
    rows = session.execute(text(check.sql.format(filter=condition) + " ORDER BY 2, 1"), params).mappings().all()
    # the candidates assessed together: their cases, members and income items read in a few queries
    assessed = assessment.assess_stored(session, [str(r["record_id"]) for r in rows], today) \
        if check.assessed else {}
    found = []
    for row in rows:
        values = dict(row)
        record_id, home, label = values.pop("record_id"), values.pop("household_id"), values.pop("record_text")
        if check.assessed:
            verdict = assessed.get(str(record_id))
            if verdict is None or not verdict.needs_reason:
                continue
            assert verdict.result is not None
            values = {"amount": str(assessment.money(values.get("amount"))), "computed": str(verdict.result.computed)}
        found.append(Finding(check.code, check.entity, str(record_id), str(home), str(label or ""), values))
    return found


#: message parameters that hold a code, and the dictionary that names it
CODED_PARAMS = {"relationship": "relationship"}


def said(key: str, params: Mapping[str, Any], lang: str) -> str:
    """A finding's message in ``lang``, its coded values by their names (子, not 20)."""
    named = {k: display.code_name(CODED_PARAMS[k], str(v), lang) or v if k in CODED_PARAMS and v else v
             for k, v in params.items()}
    return message(key, lang, **named)


def run(session: Session, scope: str, today: dt.date, *, checks: Sequence[Check] = CHECKS) -> list[Finding]:
    """Every finding of ``checks`` among the records whose org code starts with ``scope``."""
    found: list[Finding] = []
    for check in checks:
        found.extend(_findings(session, check, scope, today, None))
    return found


def run_in(session: Session, reach: Sequence[str] | None, today: dt.date) -> list[Finding]:
    """``run`` over a user's reach (org-code prefixes; None: everything this workspace holds), each
    finding once, in the order the checks are declared."""
    prefixes = [""] if reach is None else [p for p in reach if not any(p != q and p.startswith(q) for q in reach)]
    seen: set[tuple[str, str]] = set()
    found: list[Finding] = []
    for check in CHECKS:
        for prefix in prefixes:
            for finding in _findings(session, check, prefix, today, None):
                if (finding.check, finding.record_id) not in seen:
                    seen.add((finding.check, finding.record_id))
                    found.append(finding)
    return found


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Findings by check, in the order the checks are declared (checks without any left out)."""
    tally = {check.code: 0 for check in CHECKS}
    for finding in findings:
        tally[finding.check] += 1
    return {code: n for code, n in tally.items() if n}


def for_record(session: Session, record: Record, today: dt.date | None = None) -> list[Finding]:
    """The error checks that flag ``record`` (as flushed, in its household): what its save refuses."""
    household_id = record.id if isinstance(record, Household) else getattr(record, "household_id", None)
    if household_id is None:
        return []
    wanted = [c for c in CHECKS if c.severity == "error" and c.entity == record.entity]
    day = today or dt.date.today()
    return [f for c in wanted for f in _findings(session, c, "", day, str(household_id)) if f.record_id == record.id]


def refusal(findings: Sequence[Finding]) -> ValidationErrors:
    """The findings as a save's refusal, each naming the field to correct."""
    errors = []
    for finding in findings:
        check = BY_CODE[finding.check]
        error = ValidationError(check.key, check.field, **finding.params)
        error.entity = check.entity
        errors.append(error)
    return ValidationErrors(errors)


# --- the same error checks over a household's values (the server, which holds records as JSON) ----

def case_findings(case: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
                  cases: Sequence[Mapping[str, Any]], incomes: Sequence[Mapping[str, Any]] | None = None,
                  today: dt.date | None = None) -> list[Finding]:
    """The error checks of an assistance case (``covered_exceeds_members``, ``two_open_cases`` and,
    given the household's income items, ``amount_without_reason``) read over its household's values
    as they would be stored: the case, the household's members and its other cases. The statement of
    each is its query's above; a test holds the two to one verdict."""
    if case.get("archived") or case.get("status") in CLOSED:
        return []
    found = []
    present = sum(1 for m in members if not m.get("archived"))
    covered = int(case.get("people_covered") or 0)
    case_id, home, text = str(case.get("id") or ""), str(case.get("household_id") or ""), ""
    if covered > present:
        found.append(Finding("covered_exceeds_members", "assistance_case", case_id, home, text,
                             {"covered": covered, "members": present}))
    if any(o.get("id") != case.get("id") and o.get("category") == case.get("category") and not o.get("archived")
           and o.get("status") not in CLOSED for o in cases):
        found.append(Finding("two_open_cases", "assistance_case", case_id, home, text,
                             {"category": str(case.get("category"))}))
    if incomes is not None:
        result = assessment.assess_values(case, members, incomes, today or dt.date.today(), cases=cases)
        if assessment.needs_reason(case, result):
            assert result is not None
            found.append(Finding("amount_without_reason", "assistance_case", case_id, home, text,
                                 {"amount": str(assessment.money(case.get("monthly_amount"))),
                                  "computed": str(result.computed)}))
    return found


def application_findings(application: Mapping[str, Any], others: Sequence[Mapping[str, Any]]) -> list[Finding]:
    """``two_open_applications`` over an application's values and the other applications its
    household's tree holds, as they would be stored (the server's push; the statement is the query's)."""
    def open_(a: Mapping[str, Any]) -> bool:
        return not a.get("archived") and a.get("status") not in CARE_CLOSED

    if not open_(application):
        return []
    held = sorted((o for o in others if o.get("id") != application.get("id") and open_(o)
                   and o.get("member_id") == application.get("member_id")), key=lambda o: str(o.get("id")))
    if not held:
        return []
    return [Finding("two_open_applications", "care_application", str(application.get("id") or ""),
                    str(application.get("household_id") or ""), "",
                    {"facility": str(held[0].get("facility_name") or "")})]


def placement_findings(household: Mapping[str, Any], building: Mapping[str, Any] | None) -> list[Finding]:
    """``household_outside_community`` over a household's values and those of the building it is
    placed at, as they would be stored (the server's push; the rule is caseapp.domain.buildings
    ``placement``, the query's statement)."""
    if building is None or household.get("archived"):
        return []
    if placement(str(household.get("org_code") or ""), str(building.get("org_code") or "")) != OTHER_COMMUNITY:
        return []
    address = f"{building.get('road') or ''}{building.get('house_no') or ''} {building.get('name') or ''}".strip()
    return [Finding("household_outside_community", "household", str(household.get("id") or ""),
                    str(household.get("id") or ""), "", {"building": address, "grid": str(building.get("org_code"))})]


def checked_save(session: Session, record: Record) -> None:
    """Refuse a save the error checks flag. Called with the record flushed inside a savepoint, which
    the caller rolls back on the refusal (records.create/update)."""
    found = for_record(session, record)
    if found:
        raise refusal(found)
