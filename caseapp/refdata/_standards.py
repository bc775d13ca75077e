"""Assistance standards by kind, district, urban/rural area and effective date (defaults in the
packaged ``standards.json``; an administrator adds figures on the server, checked by the same rules
(``check_entry``), and devices get them on sync and use them over the packaged ones from their
effective date: ``with_server_rows``, ``install_standards``).

Every figure names its source (the notice) and whether it was checked against the published text
(``verified``). A figure is an amount in yuan, or a factor of another kind's figure in force on the
same day for the same district and area (the 低收入 line is 1.5 × the 低保 standard in Guangzhou).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

SCHEMA = 1

#: kinds of figure the table may hold
KINDS = frozenset({"dibao", "low_income", "tekun", "care_subsidy", "elder_allowance", "disability_living",
                   "disability_care"})
AREAS = frozenset({"all", "urban", "rural"})
GROUPS = frozenset({"elderly", "disabled", "minor"})
_TOP = frozenset({"schema", "jurisdiction", "source", "notes", "standards", "supplements", "categories"})
_ENTRY = frozenset({"kind", "level", "year", "effective_from", "district", "area", "amount", "multiple_of",
                    "factor", "source", "verified", "note"})
_SUPPLEMENT = frozenset({"category", "group", "min_age", "max_age", "grades", "percent", "effective_from",
                         "source", "verified", "note"})
CENT = Decimal("0.01")


class StandardNotFound(LookupError):
    """No figure of this kind is in force on the date asked for (before the first one, or none at all)."""

    def __init__(self, kind: str, on: dt.date, level: str | None = None) -> None:
        super().__init__(f"no {kind} standard{'' if level is None else f' ({level})'} in force on {on.isoformat()}")
        self.kind = kind
        self.on = on
        self.level = level


@dataclass(frozen=True)
class Entry:
    kind: str
    level: str | None
    effective_from: dt.date
    district: str | None
    area: str
    amount: Decimal | None
    multiple_of: str | None
    factor: Decimal | None
    source: str
    verified: bool
    note: str
    #: 0: the packaged table; 1: added by an administrator on the server (wins a tie of the same day,
    #: district and area)
    rank: int = 0


@dataclass(frozen=True)
class Standard:
    """A figure in force: yuan per person per month (or per month for a subsidy), where it came from
    and whether it was checked against the notice."""

    kind: str
    amount: Decimal
    effective_from: dt.date
    source: str
    verified: bool
    level: str | None = None
    district: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Supplement:
    """A 分类施保 rule: ``percent`` of the category's standard for each covered member of ``group``."""

    category: str
    group: str
    percent: Decimal
    effective_from: dt.date
    source: str
    verified: bool
    min_age: int | None = None
    max_age: int | None = None
    grades: frozenset[str] = frozenset()
    note: str = ""


@dataclass(frozen=True)
class Standards:
    """A validated standards table. Build with ``standards()`` or ``parse_standards(raw)``."""

    jurisdiction: str
    source: str
    entries: tuple[Entry, ...]
    supplements: tuple[Supplement, ...]
    #: assistance category -> the kind of standard its 补差 is measured against
    categories: Mapping[str, str]
    #: sha-256 of the canonical JSON: what a device compares to know it holds the server's table
    digest: str

    def kind_for(self, category: str) -> str | None:
        """The kind of standard an assistance category is assessed against (None: not assessed)."""
        return self.categories.get(category)

    def standard_for(self, kind: str, on: dt.date, district: str | None = None, rural: bool = False,
                     level: str | None = None) -> Standard:
        """The figure of ``kind`` (and ``level``, for tiered kinds) in force on ``on`` for ``district``
        (a division code: its first 6 digits are the district) and area. Raises StandardNotFound."""
        return self._resolve(kind, on, None if district is None else district[:6], rural, level, depth=0)

    def _resolve(self, kind: str, on: dt.date, district: str | None, rural: bool, level: str | None,
                 depth: int) -> Standard:
        area = "rural" if rural else "urban"
        best: Entry | None = None
        best_key: tuple[dt.date, int, int, int] | None = None
        for entry in self.entries:
            if entry.kind != kind or entry.level != level or entry.effective_from > on:
                continue
            if entry.district is not None and entry.district != district:
                continue
            if entry.area not in ("all", area):
                continue
            key = (entry.effective_from, entry.district is not None, entry.area != "all", entry.rank)
            if best_key is None or key > best_key:
                best, best_key = entry, key
        if best is None:
            raise StandardNotFound(kind, on, level)
        if best.amount is not None:
            return Standard(kind, best.amount, best.effective_from, best.source, best.verified, level,
                            best.district, best.note)
        assert best.multiple_of is not None and best.factor is not None  # parse_standards checks it
        base = self._resolve(best.multiple_of, on, district, rural, None, depth + 1)
        return Standard(kind, (base.amount * best.factor).quantize(CENT, ROUND_HALF_UP),
                        max(best.effective_from, base.effective_from),
                        f"{best.source}; {base.source}", best.verified and base.verified, level, best.district,
                        best.note)

    def levels_for(self, kind: str) -> tuple[str, ...]:
        """The levels the figures of a tiered ``kind`` are given for (age bands, grades), sorted."""
        return tuple(sorted({e.level for e in self.entries if e.kind == kind and e.level is not None}))

    def supplements_for(self, category: str, on: dt.date) -> tuple[Supplement, ...]:
        """The 分类施保 rules of ``category`` in force on ``on`` (per group, the latest of each)."""
        latest: dict[tuple[str, int | None, int | None, frozenset[str]], Supplement] = {}
        for rule in self.supplements:
            if rule.category != category or rule.effective_from > on:
                continue
            key = (rule.group, rule.min_age, rule.max_age, rule.grades)
            if key not in latest or latest[key].effective_from < rule.effective_from:
                latest[key] = rule
        return tuple(latest.values())

    def effective_dates(self) -> tuple[dt.date, ...]:
        """Every day a figure or rule starts, oldest first."""
        return tuple(sorted({e.effective_from for e in self.entries}
                            | {s.effective_from for s in self.supplements}))


class _Check:
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> ValueError:
        return ValueError(f"{self.origin}: {where}: {problem}")

    def obj(self, value: Any, where: str, allowed: frozenset[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a JSON object")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(map(repr, unknown))}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"must be a non-empty string, got {value!r}")
        return value

    def date(self, value: Any, where: str) -> dt.date:
        try:
            return dt.date.fromisoformat(self.text(value, where))
        except ValueError:
            raise self.fail(where, f"must be a date YYYY-MM-DD, got {value!r}") from None

    def money(self, value: Any, where: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(where, f"must be a decimal string, got {value!r}")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(where, f"must be a decimal string, got {value!r}") from None
        if not number.is_finite() or number < 0 or number > Decimal("1000000"):
            raise self.fail(where, f"must be between 0 and 1000000, got {value!r}")
        return number

    def flag(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, "must be true or false")
        return value

    def age(self, value: Any, where: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
            raise self.fail(where, f"must be an age 0-150, got {value!r}")
        return value


def parse_standards(raw: Any, origin: str = "standards") -> Standards:
    """A validated table from its JSON form; ValueError naming ``origin`` and the key otherwise."""
    ck = _Check(origin)
    top = ck.obj(raw, "top level", _TOP)
    if top.get("schema", SCHEMA) != SCHEMA:
        raise ck.fail("schema", f"must be {SCHEMA}")
    jurisdiction = ck.text(top.get("jurisdiction"), "jurisdiction")
    source = ck.text(top.get("source"), "source")
    rows = top.get("standards")
    if not isinstance(rows, list) or not rows:
        raise ck.fail("standards", "must be a non-empty list")
    entries = [_entry(ck, row, f"standards[{i}]") for i, row in enumerate(rows)]
    _no_cycles(entries, ck)
    supplements: list[Supplement] = []
    for i, row in enumerate(top.get("supplements", [])):
        where = f"supplements[{i}]"
        row = ck.obj(row, where, _SUPPLEMENT)
        group = row.get("group")
        if not isinstance(group, str) or group not in GROUPS:
            raise ck.fail(f"{where}.group", f"must be one of {', '.join(sorted(GROUPS))}, got {group!r}")
        grades = row.get("grades", [])
        if not isinstance(grades, list) or not all(isinstance(g, str) and g for g in grades):
            raise ck.fail(f"{where}.grades", "must be a list of disability grade codes")
        percent = ck.money(row.get("percent"), f"{where}.percent")
        if percent > 100:
            raise ck.fail(f"{where}.percent", "must be at most 100")
        supplements.append(Supplement(ck.text(row.get("category"), f"{where}.category"), group, percent,
                                      ck.date(row.get("effective_from"), f"{where}.effective_from"),
                                      ck.text(row.get("source"), f"{where}.source"),
                                      ck.flag(row.get("verified"), f"{where}.verified"),
                                      ck.age(row.get("min_age"), f"{where}.min_age"),
                                      ck.age(row.get("max_age"), f"{where}.max_age"), frozenset(grades),
                                      str(row.get("note", ""))))
    categories = top.get("categories", {})
    if not isinstance(categories, dict) or not all(k in KINDS for k in categories.values()):
        raise ck.fail("categories", "must map assistance categories to kinds")
    canonical = json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Standards(jurisdiction, source, tuple(entries), tuple(supplements), dict(categories),
                     hashlib.sha256(canonical.encode()).hexdigest())


def _entry(ck: _Check, row: Any, where: str, rank: int = 0) -> Entry:
    """One figure of the table (a row of ``standards.json``'s ``standards``, or one an administrator
    added on the server: the same rules for both)."""
    row = ck.obj(row, where, _ENTRY)
    kind = row.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise ck.fail(f"{where}.kind", f"must be one of {', '.join(sorted(KINDS))}, got {kind!r}")
    area = row.get("area", "all")
    if not isinstance(area, str) or area not in AREAS:
        raise ck.fail(f"{where}.area", f"must be all, urban or rural, got {area!r}")
    district = row.get("district")
    if district is not None and not (isinstance(district, str) and district.isdigit() and len(district) == 6):
        raise ck.fail(f"{where}.district", f"must be a 6-digit district code or null, got {district!r}")
    level = row.get("level")
    if level is not None:
        level = ck.text(level, f"{where}.level")
    has_amount, has_multiple = "amount" in row, "multiple_of" in row
    if has_amount == has_multiple:
        raise ck.fail(where, "give either amount, or multiple_of and factor")
    multiple_of = None
    factor = None
    amount = None
    if has_amount:
        amount = ck.money(row["amount"], f"{where}.amount")
    else:
        multiple_of = row["multiple_of"]
        if not isinstance(multiple_of, str) or multiple_of not in KINDS or multiple_of == kind:
            raise ck.fail(f"{where}.multiple_of", f"must be another kind, got {multiple_of!r}")
        factor = ck.money(row.get("factor"), f"{where}.factor")
    note = row.get("note", "")
    if not isinstance(note, str):
        raise ck.fail(f"{where}.note", "must be a string")
    effective_from = ck.date(row.get("effective_from"), f"{where}.effective_from")
    year = row.get("year", effective_from.year)
    if isinstance(year, bool) or not isinstance(year, int) or year != effective_from.year:
        # the standard's year (年度) is the one it takes effect in: 2025年度 from 2025-07-01
        raise ck.fail(f"{where}.year", f"must be the year of effective_from ({effective_from.year}), got {year!r}")
    return Entry(kind, level, effective_from, district, area, amount, multiple_of, factor,
                 ck.text(row.get("source"), f"{where}.source"), ck.flag(row.get("verified"), f"{where}.verified"),
                 note, rank)


def check_entry(row: Any, origin: str = "standard") -> dict[str, Any]:
    """``row`` checked by the rules of the packaged table's rows (ValueError naming the key
    otherwise), in its canonical JSON form: what the server stores and sends to devices."""
    entry = _entry(_Check(origin), row, "standard", rank=1)
    with_server_rows([row])  # no cycle with the packaged figures through multiple_of (the server
    # checks the whole of its table again with the row added)
    canonical: dict[str, Any] = {"kind": entry.kind, "year": entry.effective_from.year,
                                 "effective_from": entry.effective_from.isoformat(),
                                 "district": entry.district, "area": entry.area, "source": entry.source,
                                 "verified": entry.verified}
    if entry.level is not None:
        canonical["level"] = entry.level
    if entry.amount is not None:
        canonical["amount"] = str(entry.amount)
    else:
        canonical["multiple_of"], canonical["factor"] = entry.multiple_of, str(entry.factor)
    if entry.note:
        canonical["note"] = entry.note
    return canonical


def with_server_rows(rows: Sequence[Any], base: Standards | None = None, origin: str = "server standards") -> Standards:
    """The packaged table (or ``base``) with the figures an administrator added on the server. A
    server figure is in force from its effective date like any other; on the same day, district
    and area as a packaged one, the server's wins. ValueError if a row breaks a rule."""
    base = base or default_standards()
    ck = _Check(origin)
    if not isinstance(rows, list | tuple):
        raise ck.fail("standards", "must be a list")
    added = [_entry(ck, row, f"standards[{i}]", rank=1) for i, row in enumerate(rows)]
    entries = (*base.entries, *added)
    _no_cycles(entries, ck)
    canonical = json.dumps(list(rows), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(f"{base.digest}:{canonical}".encode()).hexdigest() if rows else base.digest
    return Standards(base.jurisdiction, base.source, entries, base.supplements, base.categories, digest)


def _no_cycles(entries: Sequence[Entry], ck: _Check) -> None:
    edges: dict[str, set[str]] = {}
    for entry in entries:
        if entry.multiple_of is not None:
            edges.setdefault(entry.kind, set()).add(entry.multiple_of)
    for start in edges:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            kind = todo.pop()
            if kind == start:
                raise ck.fail("standards", f"{start} is a multiple of itself through multiple_of")
            if kind not in seen:
                seen.add(kind)
                todo.extend(edges.get(kind, ()))


@lru_cache(maxsize=1)
def default_raw() -> dict[str, Any]:
    """The packaged table's JSON form."""
    raw = json.loads(resources.files(__package__).joinpath("standards.json").read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("packaged standards.json must hold a JSON object")
    return raw


@lru_cache(maxsize=1)
def default_standards() -> Standards:
    """The packaged Guangzhou defaults."""
    return parse_standards(default_raw(), "caseapp/refdata/standards.json")


_active: Standards | None = None


def standards() -> Standards:
    """The table in force: the one installed (the server's, received on sync), else the packaged one."""
    return _active if _active is not None else default_standards()


#: the workspace setting (encrypted with the rest) holding the figures received from the server:
#: {"version": the server's standards version, "rows": [canonical rows, see check_entry]}
SERVER_SETTING = "standards.server"


def install_standards(new: Standards | None) -> None:
    """Make ``new`` the process-wide table; None restores the packaged defaults."""
    global _active
    _active = new


def standard_for(kind: str, on: dt.date, district: str | None = None, rural: bool = False,
                 level: str | None = None) -> Standard:
    """The figure of ``kind`` in force on ``on`` in the table in force (see ``Standards.standard_for``)."""
    return standards().standard_for(kind, on, district, rural, level)
