"""Configurable business rules and code dictionaries (defaults in the packaged ``rules.json``).

A deployment overrides the defaults with its own JSON file of the same shape, holding only what
differs: objects are merged key by key into the defaults, any other value replaces the default,
and ``null`` removes a default entry. The merged result is validated as a whole; anything the
schema does not know, or a missing, zero or negative interval, raises ``ValueError`` naming the
file and the offending key.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

SCHEMA = 1

_TOP_KEYS = frozenset(
    {
        "schema",
        "version",
        "jurisdiction",
        "source",
        "notes",
        "elder_visit",
        "assistance_review",
        "time_limits",
        "care_waitlist",
        "dictionaries",
    }
)
_ELDER_KEYS = frozenset({"interval_days", "after_major_change_hours"})
_REVIEW_KEYS = frozenset({"interval_months", "one_off_categories"})
_WAITLIST_KEYS = frozenset(
    {"priority_ranks", "general_rank", "disabled_capacity_levels", "declines_kept", "back_of_queue_after_decline"}
)
_DEFAULT_CLASS = "default"

#: Time limits a rules file may set (units are in the names).
TIME_LIMITS = frozenset(
    {
        "dibao_investigation_start_working_days",
        "dibao_street_review_working_days",
        "dibao_street_review_extension_working_days",
        "dibao_district_approval_working_days",
        "dibao_district_approval_extension_working_days",
        "dibao_objection_recheck_working_days",
        "public_notice_days",
        "tekun_selfcare_reassess_working_days",
        "disaster_village_to_town_hours",
        "disaster_initial_report_hours",
        "disaster_final_report_working_days",
        "disaster_drought_update_days",
        "disaster_update_by_hour",
    }
)

#: Code dictionaries a rules file may define (code -> {"zh": ..., "en": ...}).
DICTIONARIES = frozenset(
    {
        "assistance_category",
        "review_class",
        "review_decision",
        "relationship",
        "member_status",
        "member_event",
        "sex",
        "marital_status",
        "health_status",
        "disability_type",
        "disability_grade",
        "employment_status",
        "work_capacity",
        "self_care_ability",
        "self_care_result",
        "income_type",
        "housing_tenure",
        "living_arrangement",
        "capacity_level",
        "elder_entitlement",
        "risk_tier",
        "visit_method",
        "visit_need",
        "grid_event_category",
        "event_source",
        "event_scale",
        "disaster_type",
        "referral_urgency",
        "household_register_type",
        "ethnicity",
        "education",
        "visit_risk_change",
        "visit_outcome",
        "case_note_kind",
        "verification_level",
        "verification_conclusion",
        "attachment_kind",
        "org_level",
        "verification_source",
        "case_action",
        "user_role",
        "task_kind",
        "task_status",
        "appraisal_result",
        "payment_kind",
        "notice_kind",
        "child_category",
        "guardianship",
        "child_living",
        "youfu_category",
        "youfu_disability_grade",
        "youfu_visit_occasion",
        "pingantong_call_type",
        "pingantong_outcome",
        "building_use",
        "building_structure",
        "dwelling_occupancy",
        "population_type",
        "residence_reason",
        "care_facility_type",
        "care_priority",
        "care_applicant",
    }
)

LANGS = ("zh", "en")


@dataclass(frozen=True)
class ReviewInterval:
    """Months between reviews, which may differ between urban and rural cases."""

    urban: int
    rural: int


@dataclass(frozen=True)
class CareWaitlist:
    """The priority rules of the public care-home and day-care waiting list (入住轮候), declared once:
    caseapp.services.waitlist ranks and orders applications by them, in Python and in SQL."""

    #: priority category (care_priority) -> rank, 1 first
    priority_ranks: Mapping[str, int]
    #: the rank of an applicant in none of the categories
    general_rank: int
    #: 能力评估 levels (capacity_level) that count as the category 失能 ("disabled")
    disabled_capacity_levels: frozenset[str]
    #: offered places an applicant may decline and stay on the list
    declines_kept: int
    #: an applicant who declined queues from the day of the decline (else from the application)
    back_of_queue_after_decline: bool


@dataclass(frozen=True)
class Rules:
    """Validated, read-only business rules. Build with ``rules()`` or ``load_rules(path)``."""

    version: str
    jurisdiction: str
    source: str
    #: risk tier -> days between elder visits
    visit_intervals: Mapping[str, int]
    #: a high-risk elder is visited within this many hours of a major change
    after_major_change_hours: int
    #: assistance category -> review class (or "default") -> months between reviews
    review_intervals: Mapping[str, Mapping[str, ReviewInterval]]
    #: name (unit in the name) -> value
    time_limits: Mapping[str, int]
    #: dictionary name -> code -> {"zh": ..., "en": ...}
    dictionaries: Mapping[str, Mapping[str, Mapping[str, str]]]
    #: assistance categories paid once (临时救助, 医疗救助), not month after month: ledgers total
    #: them apart from the monthly allowances
    one_off_categories: frozenset[str] = frozenset()
    care_waitlist: CareWaitlist = CareWaitlist(MappingProxyType({}), 1, frozenset(), 0, False)

    def is_one_off(self, category: str) -> bool:
        return category in self.one_off_categories

    def visit_interval_days(self, risk_tier: str) -> int:
        """Days between visits for an elder of this risk tier ("high", "key", "normal")."""
        try:
            return self.visit_intervals[risk_tier]
        except KeyError:
            raise ValueError(f"unknown risk tier {risk_tier!r}; known: {', '.join(self.visit_intervals)}") from None

    def has_periodic_review(self, category: str) -> bool:
        """Whether cases of this assistance category are reviewed periodically (临时救助 is not)."""
        return category in self.review_intervals

    def review_interval_months(self, category: str, review_class: str | None, rural: bool = False) -> int:
        """Months between reviews of a case of ``category`` in ``review_class``.

        ``review_class`` None (or one the category does not distinguish) uses the category's default.
        Raises ValueError for an unknown category or class, or a category without periodic review.
        """
        table = self.review_intervals.get(category)
        if table is None:
            if category in self.dictionaries["assistance_category"]:
                raise ValueError(f"assistance category {category!r} has no periodic review in these rules")
            raise ValueError(f"unknown assistance category {category!r}")
        key = _DEFAULT_CLASS
        if review_class is not None and review_class.strip():
            wanted = review_class.strip()
            classes = self.dictionaries["review_class"]
            match = next((c for c in (wanted, wanted.upper(), wanted.lower()) if c in classes), None)
            if match is None:
                raise ValueError(f"unknown review class {review_class!r}; known: {', '.join(classes)}")
            if match in table:
                key = match
        interval = table.get(key)
        if interval is None:
            raise ValueError(f"no review interval for {category!r} class {review_class!r} and no default")
        return interval.rural if rural else interval.urban

    def time_limit(self, name: str) -> int:
        """A time limit such as "public_notice_days"; the unit is part of the name."""
        try:
            return self.time_limits[name]
        except KeyError:
            raise ValueError(f"unknown time limit {name!r}") from None

    def dictionary(self, name: str) -> dict[str, dict[str, str]]:
        """A copy of the code dictionary ``name``: code -> {"zh": ..., "en": ...}, in display order."""
        try:
            entries = self.dictionaries[name]
        except KeyError:
            raise KeyError(f"unknown dictionary {name!r}") from None
        return {code: dict(texts) for code, texts in entries.items()}

    def codes(self, name: str) -> tuple[str, ...]:
        """The codes of dictionary ``name``, in display order (what validation checks a value against,
        for every value of every record: no copy of the labels)."""
        try:
            return tuple(self.dictionaries[name])
        except KeyError:
            raise KeyError(f"unknown dictionary {name!r}") from None

    def label(self, dictionary_name: str, code: str, lang: str = "zh") -> str:
        """Display text of ``code``; an unknown code is returned unchanged (records keep retired codes)."""
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
        try:
            entries = self.dictionaries[dictionary_name]
        except KeyError:
            raise KeyError(f"unknown dictionary {dictionary_name!r}") from None
        texts = entries.get(code)
        return code if texts is None else texts[lang]


# --- loading and validation -------------------------------------------------------------------


class _Checker:
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> ValueError:
        return ValueError(f"{self.origin}: {where}: {problem}" if where else f"{self.origin}: {problem}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a JSON object, got {_kind(value)}")
        return value

    def keys(self, value: dict[str, Any], allowed: frozenset[str] | set[str], where: str) -> None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise self.fail(
                where, f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(sorted(allowed))}"
            )

    def positive(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(where, f"must be a positive whole number, got {value!r}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"must be a non-empty string, got {value!r}")
        return value


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _merge(base: Any, override: Any) -> Any:
    """Deep-merge ``override`` into ``base``: objects key by key, ``None`` deletes, other values replace."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged:
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _build(raw: Any, origin: str) -> Rules:
    ck = _Checker(origin)
    top = ck.obj(raw, "")
    ck.keys(top, _TOP_KEYS, "top level")
    if top.get("schema", SCHEMA) != SCHEMA:
        raise ck.fail("schema", f"must be {SCHEMA}, got {top.get('schema')!r}")
    for key in ("version", "jurisdiction", "source"):
        if key not in top:
            raise ck.fail(key, "missing")
        ck.text(top[key], key)
    if not (top["jurisdiction"].isdigit() and len(top["jurisdiction"]) == 6):
        raise ck.fail("jurisdiction", f"must be a 6-digit division code, got {top['jurisdiction']!r}")

    # Dictionaries first: the other sections are checked against their codes.
    dicts_raw = ck.obj(top.get("dictionaries"), "dictionaries")
    ck.keys(dicts_raw, DICTIONARIES, "dictionaries")
    dictionaries: dict[str, Mapping[str, Mapping[str, str]]] = {}
    for name in sorted(DICTIONARIES):
        if name not in dicts_raw:
            raise ck.fail(f"dictionaries.{name}", "missing")
        entries = ck.obj(dicts_raw[name], f"dictionaries.{name}")
        if not entries:
            raise ck.fail(f"dictionaries.{name}", "must not be empty")
        parsed: dict[str, Mapping[str, str]] = {}
        for code, texts in entries.items():
            where = f"dictionaries.{name}.{code}"
            if not code.strip():
                raise ck.fail(where, "a code must not be empty")
            texts = ck.obj(texts, where)
            ck.keys(texts, frozenset(LANGS), where)
            parsed[code] = MappingProxyType({lang: ck.text(texts.get(lang), f"{where}.{lang}") for lang in LANGS})
        dictionaries[name] = MappingProxyType(parsed)

    elder = ck.obj(top.get("elder_visit"), "elder_visit")
    ck.keys(elder, _ELDER_KEYS, "elder_visit")
    tiers = dictionaries["risk_tier"]
    days = ck.obj(elder.get("interval_days"), "elder_visit.interval_days")
    ck.keys(days, set(tiers), "elder_visit.interval_days (risk tiers)")
    visit_intervals: dict[str, int] = {}
    for tier in tiers:
        if tier not in days:
            raise ck.fail(f"elder_visit.interval_days.{tier}", "missing: every risk tier needs a visit interval")
        visit_intervals[tier] = ck.positive(days[tier], f"elder_visit.interval_days.{tier}")
    after_change = ck.positive(elder.get("after_major_change_hours"), "elder_visit.after_major_change_hours")

    review = ck.obj(top.get("assistance_review"), "assistance_review")
    ck.keys(review, _REVIEW_KEYS, "assistance_review")
    months = ck.obj(review.get("interval_months"), "assistance_review.interval_months")
    categories = dictionaries["assistance_category"]
    ck.keys(months, set(categories), "assistance_review.interval_months (assistance categories)")
    class_keys = {*dictionaries["review_class"], _DEFAULT_CLASS}
    review_intervals: dict[str, Mapping[str, ReviewInterval]] = {}
    for category, classes in months.items():
        where = f"assistance_review.interval_months.{category}"
        classes = ck.obj(classes, where)
        ck.keys(classes, class_keys, f"{where} (review classes)")
        if not classes:
            raise ck.fail(where, "must give at least a 'default' interval")
        table: dict[str, ReviewInterval] = {}
        for klass, value in classes.items():
            at = f"{where}.{klass}"
            if isinstance(value, dict):
                ck.keys(value, frozenset({"urban", "rural"}), at)
                table[klass] = ReviewInterval(
                    urban=ck.positive(value.get("urban"), f"{at}.urban"),
                    rural=ck.positive(value.get("rural"), f"{at}.rural"),
                )
            else:
                n = ck.positive(value, at)
                table[klass] = ReviewInterval(urban=n, rural=n)
        review_intervals[category] = MappingProxyType(table)
    one_off = review.get("one_off_categories", [])
    if not isinstance(one_off, list) or not all(isinstance(c, str) and c in categories for c in one_off):
        raise ck.fail("assistance_review.one_off_categories", "must be a list of assistance category codes")

    limits_raw = ck.obj(top.get("time_limits"), "time_limits")
    ck.keys(limits_raw, TIME_LIMITS, "time_limits")
    time_limits: dict[str, int] = {}
    for name in sorted(TIME_LIMITS):
        if name not in limits_raw:
            raise ck.fail(f"time_limits.{name}", "missing")
        time_limits[name] = ck.positive(limits_raw[name], f"time_limits.{name}")

    care_waitlist = _care_waitlist(ck, top.get("care_waitlist"), dictionaries)

    return Rules(
        version=top["version"],
        jurisdiction=top["jurisdiction"],
        source=top["source"],
        visit_intervals=MappingProxyType(visit_intervals),
        after_major_change_hours=after_change,
        review_intervals=MappingProxyType(review_intervals),
        time_limits=MappingProxyType(time_limits),
        dictionaries=MappingProxyType(dictionaries),
        one_off_categories=frozenset(one_off),
        care_waitlist=care_waitlist,
    )


def _care_waitlist(ck: _Checker, raw: Any, dictionaries: Mapping[str, Mapping[str, Any]]) -> CareWaitlist:
    where = "care_waitlist"
    section = ck.obj(raw, where)
    ck.keys(section, _WAITLIST_KEYS, where)
    for key in sorted(_WAITLIST_KEYS):
        if key not in section:
            raise ck.fail(f"{where}.{key}", "missing")
    ranks_raw = ck.obj(section["priority_ranks"], f"{where}.priority_ranks")
    ck.keys(ranks_raw, set(dictionaries["care_priority"]), f"{where}.priority_ranks (care_priority codes)")
    ranks = {code: ck.positive(rank, f"{where}.priority_ranks.{code}") for code, rank in ranks_raw.items()}
    general = ck.positive(section["general_rank"], f"{where}.general_rank")
    if any(rank > general for rank in ranks.values()):
        raise ck.fail(f"{where}.general_rank", f"must not come before a priority category's rank, got {general}")
    levels = section["disabled_capacity_levels"]
    if not isinstance(levels, list) or not all(isinstance(c, str) and c in dictionaries["capacity_level"]
                                               for c in levels):
        raise ck.fail(f"{where}.disabled_capacity_levels", "must be a list of capacity_level codes")
    kept = section["declines_kept"]
    if isinstance(kept, bool) or not isinstance(kept, int) or kept < 0:
        raise ck.fail(f"{where}.declines_kept", f"must be a whole number, 0 or more, got {kept!r}")
    back = section["back_of_queue_after_decline"]
    if not isinstance(back, bool):
        raise ck.fail(f"{where}.back_of_queue_after_decline", f"must be true or false, got {back!r}")
    return CareWaitlist(MappingProxyType(ranks), general, frozenset(levels), kept, back)


@lru_cache(maxsize=1)
def _default_raw() -> dict[str, Any]:
    raw = json.loads(resources.files(__package__).joinpath("rules.json").read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("packaged rules.json must hold a JSON object")
    return raw


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The packaged Guangzhou defaults."""
    return _build(_default_raw(), "caseapp/refdata/rules.json")


def load_rules(path: Path) -> Rules:
    """Defaults overridden by the deployment's JSON file at ``path`` (see the module docstring).

    Raises ValueError, naming the file and key, for invalid JSON, unknown keys, or missing, zero or
    negative intervals; OSError if the file cannot be read.
    """
    origin = f"rules file {path}"
    try:
        override = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{origin}: not valid JSON: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{origin}: not UTF-8 text: {exc}") from exc
    if not isinstance(override, dict):
        raise ValueError(f"{origin}: must hold a JSON object, got {_kind(override)}")
    # Check the override's own top-level keys first, so a typo is reported even if merged away.
    _Checker(origin).keys(override, _TOP_KEYS, "top level")
    return _build(_merge(_default_raw(), override), origin)


_active: Rules | None = None


def rules() -> Rules:
    """The rules in force: those installed with ``install_rules``, else the packaged defaults."""
    return _active if _active is not None else default_rules()


def install_rules(new: Rules | None) -> None:
    """Make ``new`` (e.g. ``load_rules(path)``) the process-wide rules; None restores the defaults."""
    global _active
    _active = new


def dictionary(name: str) -> dict[str, dict[str, str]]:
    """Code dictionary ``name`` of the rules in force: code -> {"zh": ..., "en": ...}."""
    return rules().dictionary(name)


def codes(name: str) -> tuple[str, ...]:
    """The codes of dictionary ``name`` in the rules in force."""
    return rules().codes(name)


def label(dictionary_name: str, code: str, lang: str = "zh") -> str:
    """Display text of ``code`` in ``dictionary_name`` ("zh" or "en"); unknown codes come back unchanged."""
    return rules().label(dictionary_name, code, lang)
