"""Guangzhou administrative divisions, loaded once from the packaged ``guangzhou.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, cast

Level = Literal["city", "district", "street", "community"]

_LEVEL_ORDER: dict[str, int] = {"city": 0, "district": 1, "street": 2, "community": 3}


@dataclass(frozen=True)
class Division:
    """One division: the city, a district (区), a street office or town (街道/镇) or a community (居委会/村委会).

    ``code`` is 6 digits for the city and districts (GB/T 2260), 9 for streets and 12 for
    communities (国家统计局 统计用区划代码). ``abolished`` divisions (萝岗区, 增城市, 从化市) are kept
    because ID numbers issued before 2014 carry their codes; ``successor`` is the district that
    took over their territory.
    """

    code: str
    name: str
    level: Level
    parent: str | None
    abolished: bool = False
    abolished_year: int | None = None
    successor: str | None = None


@dataclass(frozen=True)
class _Index:
    info: dict[str, Any]
    by_code: dict[str, Division]
    children: dict[str, tuple[Division, ...]]
    full_names: dict[str, str]
    ordered: tuple[Division, ...]


def _read_json(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _index() -> _Index:
    raw = _read_json("guangzhou.json")
    ordered: list[Division] = []
    city_code, city_name = raw["city"]
    ordered.append(Division(city_code, city_name, "city", None))
    for code, name in raw["districts"]:
        ordered.append(Division(code, name, "district", city_code))
    for row in raw["abolished"]:
        ordered.append(
            Division(
                row["code"],
                row["name"],
                "district",
                row["parent"],
                abolished=bool(row["abolished"]),
                abolished_year=row.get("abolished_year"),
                successor=row.get("successor"),
            )
        )
    for district, rows in raw["streets"].items():
        for code, name, *_extra in rows:
            ordered.append(Division(code, name, "street", district))
    for street, rows in raw["communities"].items():
        for code, name, *_extra in rows:
            ordered.append(Division(code, name, "community", street))

    by_code: dict[str, Division] = {}
    children: dict[str, list[Division]] = {}
    for div in ordered:
        if div.code in by_code:
            raise ValueError(f"guangzhou.json: duplicate division code {div.code}")
        by_code[div.code] = div
        if div.parent is not None:
            children.setdefault(div.parent, []).append(div)
    full_names: dict[str, str] = {}
    for div in ordered:
        # Parents come before their children in ``ordered``.
        prefix = full_names[div.parent] if div.parent is not None else ""
        full_names[div.code] = prefix + div.name
    info = {k: v for k, v in raw.items() if k not in ("city", "districts", "abolished", "streets", "communities")}
    return _Index(
        info=info,
        by_code=by_code,
        children={k: tuple(sorted(v, key=lambda d: d.code)) for k, v in children.items()},
        full_names=full_names,
        ordered=tuple(ordered),
    )


def dataset_info() -> dict[str, Any]:
    """Provenance of the division table: version, source, vintage, licence, inputs, counts and notes."""
    return cast(dict[str, Any], json.loads(json.dumps(_index().info)))


def _lookup(code: str) -> Division | None:
    idx = _index().by_code
    text = code.strip()
    found = idx.get(text)
    if found is not None or len(text) != 12:
        return found
    # Accept the 12-digit padded forms of higher levels: 440104001000, 440104000000, 440100000000.
    if text.endswith("000"):
        found = idx.get(text[:9])
        if found is None and text.endswith("000000"):
            found = idx.get(text[:6])
    return found


def division(code: str) -> Division | None:
    """The division with this code (6, 9 or 12 digits; padded 12-digit forms accepted), or None."""
    return _lookup(code)


def districts(include_abolished: bool = False) -> list[Division]:
    """Guangzhou's districts in code order; with ``include_abolished`` also 萝岗区, 增城市 and 从化市."""
    found = [d for d in _index().ordered if d.level == "district" and (include_abolished or not d.abolished)]
    return sorted(found, key=lambda d: d.code)


def children(code: str, include_abolished: bool = False) -> list[Division]:
    """Direct subdivisions of ``code`` in code order (empty for a community or an unknown code)."""
    parent = _lookup(code)
    if parent is None:
        return []
    return [d for d in _index().children.get(parent.code, ()) if include_abolished or not d.abolished]


def full_name(code: str) -> str:
    """Name from the city down, e.g. "广州市越秀区洪桥街道". Raises KeyError for an unknown code."""
    div = _lookup(code)
    if div is None:
        raise KeyError(f"unknown division code {code!r}")
    return _index().full_names[div.code]


def search_divisions(text: str, include_abolished: bool = False, limit: int | None = None) -> list[Division]:
    """Divisions matching ``text``: a code prefix if it is all digits, otherwise part of the name or
    of the full name ("洪桥", "越秀区洪桥", "三眼井社区").

    Best matches first: exact name, then name prefix, then name substring, then full-name substring;
    within each, higher levels first, then code order.
    """
    query = "".join(text.split())
    if not query:
        return []
    idx = _index()
    scored: list[tuple[int, int, str, Division]] = []
    for div in idx.ordered:
        if div.abolished and not include_abolished:
            continue
        if query.isdigit():
            if not div.code.startswith(query):
                continue
            rank = 0 if div.code == query else 1
        elif div.name == query:
            rank = 0
        elif div.name.startswith(query):
            rank = 1
        elif query in div.name:
            rank = 2
        elif query in idx.full_names[div.code]:
            rank = 3
        else:
            continue
        scored.append((rank, _LEVEL_ORDER[div.level], div.code, div))
    scored.sort(key=lambda item: item[:3])
    found = [item[3] for item in scored]
    return found if limit is None else found[:limit]
