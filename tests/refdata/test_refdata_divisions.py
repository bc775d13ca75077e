"""Guangzhou division table: codes from DOMAIN.md, hierarchy invariants, lookups and provenance."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from typing import Any

import pytest

from caseapp.refdata import (
    Division,
    children,
    dataset_info,
    districts,
    division,
    full_name,
    search_divisions,
)

# DOMAIN.md, "Division codes"
DISTRICTS = {
    "440103": "荔湾区",
    "440104": "越秀区",
    "440105": "海珠区",
    "440106": "天河区",
    "440111": "白云区",
    "440112": "黄埔区",
    "440113": "番禺区",
    "440114": "花都区",
    "440115": "南沙区",
    "440117": "从化区",
    "440118": "增城区",
}
ABOLISHED = {"440116": ("萝岗区", "440112"), "440183": ("增城市", "440118"), "440184": ("从化市", "440117")}


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    text = resources.files("caseapp.refdata").joinpath("guangzhou.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def all_divisions() -> list[Division]:
    found: list[Division] = []
    todo = ["440100"]
    while todo:
        code = todo.pop()
        div = division(code)
        assert div is not None
        found.append(div)
        todo.extend(d.code for d in children(code, include_abolished=True))
    return found


def test_city() -> None:
    city = division("440100")
    assert city == Division("440100", "广州市", "city", None)
    assert full_name("440100") == "广州市"


def test_the_eleven_current_districts() -> None:
    current = districts()
    assert {d.code: d.name for d in current} == DISTRICTS
    assert [d.code for d in current] == sorted(DISTRICTS)
    assert all(d.level == "district" and d.parent == "440100" and not d.abolished for d in current)
    assert [d.code for d in children("440100")] == sorted(DISTRICTS)


def test_abolished_districts_are_kept_with_year_and_successor() -> None:
    everything = {d.code: d for d in districts(include_abolished=True)}
    assert set(everything) == set(DISTRICTS) | set(ABOLISHED)
    for code, (name, successor) in ABOLISHED.items():
        div = division(code)
        assert div is not None
        assert (div.name, div.level, div.parent, div.abolished) == (name, "district", "440100", True)
        assert div.abolished_year == 2014
        assert div.successor == successor
        assert full_name(code) == "广州市" + name
    assert "440116" not in {d.code for d in children("440100")}
    assert "440116" in {d.code for d in children("440100", include_abolished=True)}


def test_hongqiao_street() -> None:
    div = division("440104001")
    assert div is not None
    assert (div.name, div.level, div.parent) == ("洪桥街道", "street", "440104")
    assert full_name("440104001") == "广州市越秀区洪桥街道"


def test_every_current_district_has_streets_whose_codes_extend_its_code() -> None:
    for district in districts():
        streets = children(district.code)
        assert streets, district
        for street in streets:
            assert street.level == "street"
            assert street.parent == district.code
            assert len(street.code) == 9 and street.code.isdigit()
            assert street.code.startswith(district.code)


def test_township_part_follows_the_statistical_ranges() -> None:
    for district in districts():
        for street in children(district.code):
            part = int(street.code[6:])
            if street.name.endswith("街道"):
                assert 1 <= part <= 99, street
            elif street.name.endswith("镇"):
                assert 100 <= part <= 199, street
            else:  # 水库 / 林场 statistical units
                assert 400 <= part <= 599, street


def test_every_community_code_extends_its_street_code() -> None:
    count = 0
    for district in districts():
        for street in children(district.code):
            for community in children(street.code):
                count += 1
                assert community.level == "community"
                assert community.parent == street.code
                assert len(community.code) == 12 and community.code.isdigit()
                assert community.code.startswith(street.code)
                assert children(community.code) == []
    assert count > 2500  # the full community list, not a sample


def test_codes_are_unique(raw: dict[str, Any]) -> None:
    codes = [raw["city"][0]]
    codes += [c for c, _ in raw["districts"]]
    codes += [row["code"] for row in raw["abolished"]]
    codes += [row[0] for rows in raw["streets"].values() for row in rows]
    codes += [row[0] for rows in raw["communities"].values() for row in rows]
    assert len(codes) == len(set(codes))
    assert len(all_divisions()) == len(codes)


def test_file_names_source_vintage_and_licence(raw: dict[str, Any]) -> None:
    for key in ("source", "vintage", "licence", "version"):
        assert isinstance(raw[key], str) and raw[key].strip(), key
    assert "2023" in raw["vintage"]
    info = dataset_info()
    assert info["source"] == raw["source"]
    counts = info["counts"]
    divs = all_divisions()
    assert counts["district"] == 11
    assert counts["abolished"] == 3
    assert counts["street"] == sum(1 for d in divs if d.level == "street")
    assert counts["community"] == sum(1 for d in divs if d.level == "community")


def test_names_are_clean() -> None:
    for div in all_divisions():
        assert div.name == div.name.strip() and div.name
        assert not div.name.endswith("会会"), div


def test_lookup_accepts_padded_codes_and_rejects_unknown() -> None:
    assert division("440104001000") == division("440104001")
    assert division("440104000000") == division("440104")
    assert division("440100000000") == division("440100")
    assert division(" 440104001 ") == division("440104001")
    assert division("440199") is None
    assert division("") is None
    assert children("999999") == []
    with pytest.raises(KeyError):
        full_name("440104999")


def test_full_name_of_a_community() -> None:
    community = children("440104001")[0]
    assert full_name(community.code) == "广州市越秀区洪桥街道" + community.name


def test_search_by_name_full_name_and_code() -> None:
    hits = search_divisions("洪桥")
    assert hits[0].code == "440104001"
    assert all("洪桥" in full_name(d.code) for d in hits)
    assert search_divisions("越秀区洪桥街道")[0].code == "440104001"
    assert search_divisions("越秀区")[0].code == "440104"
    by_code = search_divisions("4401040")
    assert by_code[0].code == "440104001"
    assert all(d.code.startswith("4401040") for d in by_code)
    assert search_divisions("4401040", limit=3) == by_code[:3]
    assert search_divisions("   ") == []
    assert search_divisions("不存在的地名") == []
    assert search_divisions("萝岗区") == []
    assert [d.code for d in search_divisions("萝岗区", include_abolished=True)] == ["440116"]
    assert search_divisions("萝岗")[0].code == "440112012"  # 黄埔区萝岗街道 is current


def test_division_is_frozen() -> None:
    div = division("440104")
    assert div is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        div.name = "x"  # type: ignore[misc]
