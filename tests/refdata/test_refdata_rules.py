"""Business rules and dictionaries: DOMAIN.md defaults, overrides from a file, rejected files."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from caseapp.refdata import (
    DICTIONARIES,
    Rules,
    default_rules,
    dictionary,
    install_rules,
    label,
    load_rules,
    rules,
)


@pytest.fixture(autouse=True)
def _restore_defaults() -> Iterator[None]:
    install_rules(None)
    yield
    install_rules(None)


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- defaults (DOMAIN.md section 2) -------------------------------------------------------------


def test_elder_visit_defaults() -> None:
    r = rules()
    assert r.visit_interval_days("high") == 7
    assert r.visit_interval_days("key") == 30
    assert r.visit_interval_days("normal") == 90
    assert r.after_major_change_hours == 24
    with pytest.raises(ValueError, match="unknown risk tier"):
        r.visit_interval_days("extreme")


@pytest.mark.parametrize(
    ("category", "review_class", "rural", "months"),
    [
        ("dibao", None, False, 12),
        ("dibao", "stable", False, 12),
        ("dibao", "irregular", False, 6),
        ("dibao", "irregular", True, 6),
        ("dibao", "A", False, 12),
        ("dibao", "B", True, 12),
        ("dibao", "C", False, 3),
        ("dibao", "C", True, 6),
        ("dibao", "c", False, 3),
        ("dibao", "", False, 12),
        ("tekun_centralized", None, False, 12),
        ("tekun_dispersed", None, True, 12),
        ("low_income", None, False, 12),
        ("low_income", "irregular", False, 12),  # class not distinguished: category default
    ],
)
def test_review_interval_defaults(category: str, review_class: str | None, rural: bool, months: int) -> None:
    assert rules().review_interval_months(category, review_class, rural=rural) == months


def test_review_interval_errors() -> None:
    r = rules()
    assert not r.has_periodic_review("temporary")
    assert r.has_periodic_review("dibao")
    with pytest.raises(ValueError, match="no periodic review"):
        r.review_interval_months("temporary", None)
    with pytest.raises(ValueError, match="unknown assistance category"):
        r.review_interval_months("wubao", None)
    with pytest.raises(ValueError, match="unknown review class"):
        r.review_interval_months("dibao", "D")


def test_time_limits() -> None:
    r = rules()
    assert r.time_limit("public_notice_days") == 7
    assert r.time_limit("dibao_investigation_start_working_days") == 3
    assert r.time_limit("disaster_initial_report_hours") == 2
    with pytest.raises(ValueError):
        r.time_limit("nope")


# --- dictionaries -------------------------------------------------------------------------------


def test_every_dictionary_entry_has_zh_and_en() -> None:
    assert set(default_rules().dictionaries) == DICTIONARIES
    for name in DICTIONARIES:
        entries = dictionary(name)
        assert entries, name
        for code, texts in entries.items():
            assert code and code == code.strip(), (name, code)
            assert set(texts) == {"zh", "en"}, (name, code)
            assert texts["zh"].strip() and texts["en"].strip(), (name, code)


def test_assistance_categories() -> None:
    assert list(dictionary("assistance_category")) == [
        "dibao",
        "low_income",
        "tekun_centralized",
        "tekun_dispersed",
        "temporary",
        "medical",
        "orphan",
        "de_facto_orphan",
        "disability_subsidy",
        "elderly_subsidy",
    ]
    assert "低保" in label("assistance_category", "dibao")
    assert label("assistance_category", "tekun_centralized") == "特困人员（集中供养）"


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("marital_status", {"10": "未婚", "20": "已婚", "30": "丧偶", "40": "离婚"}),
        (
            "relationship",
            {"01": "本人", "02": "户主", "10": "配偶", "20": "子", "30": "女", "50": "父母", "99": "非亲属"},
        ),
        ("disability_type", {"1": "视力残疾", "4": "肢体残疾", "7": "多重残疾"}),
        ("capacity_level", {"0": "能力完好", "1": "轻度失能", "2": "中度失能", "3": "重度失能", "4": "完全失能"}),
        ("living_arrangement", {"alone": "独居", "empty_nest": "空巢", "left_behind": "留守"}),
        ("visit_method", {"in_person": "入户探访", "phone": "电话探访", "video": "视频探访"}),
        ("event_source", {"hotline": "12345热线"}),
        ("disaster_type", {"flood": "洪涝", "typhoon": "台风", "low_temp": "低温冷冻", "fire": "森林火灾"}),
    ],
)
def test_standard_codes(name: str, codes: dict[str, str]) -> None:
    entries = dictionary(name)
    for code, zh in codes.items():
        assert entries[code]["zh"] == zh, (name, code)


def test_exact_code_sets() -> None:
    assert list(dictionary("disability_type")) == [str(n) for n in range(1, 8)]
    assert list(dictionary("disability_grade")) == ["1", "2", "3", "4"]
    assert list(dictionary("risk_tier")) == ["high", "key", "normal"]
    assert list(dictionary("referral_urgency")) == ["normal", "urgent", "emergency"]
    assert list(dictionary("household_register_type")) == ["local_urban", "local_rural", "migrant", "foreign"]
    assert set(dictionary("income_type")) == {
        "wages",
        "farming",
        "business",
        "property",
        "land_transfer",
        "pension",
        "maintenance",
        "subsidies",
        "other",
    }
    assert set(dictionary("health_status")) >= {"healthy", "chronic", "serious"}
    grid = dictionary("grid_event_category")
    assert [grid[c]["zh"] for c in grid] == [
        "矛盾纠纷",
        "安全隐患",
        "消防隐患",
        "环境卫生",
        "违法建设",
        "出租屋管理",
        "特殊人群",
        "民生诉求",
        "城市管理",
        "其他",
    ]


def test_risk_tiers_and_visit_intervals_agree() -> None:
    assert set(dictionary("risk_tier")) == set(rules().visit_intervals)


def test_label() -> None:
    assert label("visit_method", "phone") == "电话探访"
    assert label("visit_method", "phone", lang="en") == "Phone"
    assert label("visit_method", "retired-code") == "retired-code"
    with pytest.raises(ValueError, match="language"):
        label("visit_method", "phone", lang="fr")
    with pytest.raises(KeyError):
        label("no_such_dictionary", "x")
    with pytest.raises(KeyError):
        dictionary("no_such_dictionary")


def test_dictionary_returns_a_copy_and_rules_are_read_only() -> None:
    d = dictionary("risk_tier")
    d["high"]["zh"] = "changed"
    d.pop("key")
    assert label("risk_tier", "high") == "高风险"
    r = rules()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.after_major_change_hours = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.visit_intervals["high"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        r.dictionaries["risk_tier"]["high"]["zh"] = "x"  # type: ignore[index]


# --- overrides ----------------------------------------------------------------------------------


def test_override_merges_onto_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "version": "gz-panyu-2026",
            "elder_visit": {"interval_days": {"high": 3}},
            "assistance_review": {"interval_months": {"dibao": {"C": 4}, "orphan": {"default": 12}}},
            "time_limits": {"public_notice_days": 5},
            "dictionaries": {"visit_method": {"phone": {"zh": "电话回访", "en": "Phone call"}}},
        },
    )
    r = load_rules(path)
    assert isinstance(r, Rules)
    assert r.version == "gz-panyu-2026"
    assert r.visit_interval_days("high") == 3
    assert r.visit_interval_days("key") == 30  # untouched default
    assert r.review_interval_months("dibao", "C") == 4
    assert r.review_interval_months("dibao", "C", rural=True) == 4
    assert r.review_interval_months("dibao", "irregular") == 6
    assert r.review_interval_months("orphan", None) == 12
    assert r.time_limit("public_notice_days") == 5
    assert r.label("visit_method", "phone") == "电话回访"
    assert r.label("visit_method", "video") == "视频探访"
    # Loading does not change the rules in force ...
    assert rules().visit_interval_days("high") == 7
    # ... installing does.
    install_rules(r)
    assert rules() is r
    assert label("visit_method", "phone", "en") == "Phone call"
    install_rules(None)
    assert rules() == default_rules()


def test_override_can_add_and_remove_entries(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "elder_visit": {"interval_days": {"critical": 2}},
            "dictionaries": {
                "risk_tier": {"critical": {"zh": "极高风险", "en": "Critical"}},
                "review_class": {"A": None, "B": None},
            },
            "assistance_review": {"interval_months": {"dibao": {"A": None, "B": None}}},
        },
    )
    r = load_rules(path)
    assert r.visit_interval_days("critical") == 2
    assert "A" not in r.dictionaries["review_class"]
    with pytest.raises(ValueError, match="unknown review class"):
        r.review_interval_months("dibao", "A")


def test_an_empty_override_gives_the_defaults(tmp_path: Path) -> None:
    assert load_rules(write(tmp_path, {})) == default_rules()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"elder_visits": {}}, r"unknown key.*'elder_visits'"),
        ({"elder_visit": {"interval": {"high": 3}}}, r"elder_visit.*unknown key.*'interval'"),
        ({"elder_visit": {"interval_days": {"high": -7}}}, r"elder_visit.interval_days.high.*positive"),
        ({"elder_visit": {"interval_days": {"high": 0}}}, r"positive"),
        ({"elder_visit": {"interval_days": {"high": "7"}}}, r"positive"),
        ({"elder_visit": {"interval_days": {"high": 7.5}}}, r"positive"),
        ({"elder_visit": {"interval_days": {"high": True}}}, r"positive"),
        ({"elder_visit": {"interval_days": {"urgent": 3}}}, r"risk tiers.*unknown key.*'urgent'"),
        ({"elder_visit": {"interval_days": {"normal": None}}}, r"interval_days.normal.*missing"),
        ({"elder_visit": {"after_major_change_hours": -24}}, r"after_major_change_hours.*positive"),
        ({"elder_visit": {"after_major_change_hours": None}}, r"after_major_change_hours.*positive"),
        ({"assistance_review": {"interval_months": {"dibao": {"stable": -12}}}}, r"dibao.stable.*positive"),
        ({"assistance_review": {"interval_months": {"dibao": {"C": {"rural": None}}}}}, r"dibao.C.rural.*positive"),
        ({"assistance_review": {"interval_months": {"dibao": {"C": {"urban": 3, "rural": 6, "x": 1}}}}}, "'x'"),
        ({"assistance_review": {"interval_months": {"wubao": {"default": 12}}}}, r"categories.*'wubao'"),
        ({"assistance_review": {"interval_months": {"dibao": {"D": 12}}}}, r"review classes.*'D'"),
        ({"assistance_review": {"cadence": {}}}, r"assistance_review.*'cadence'"),
        ({"time_limits": {"public_notice_days": -1}}, r"time_limits.public_notice_days.*positive"),
        ({"time_limits": {"notice_days": 7}}, r"time_limits.*'notice_days'"),
        ({"dictionaries": {"risk_tiers": {}}}, r"dictionaries.*'risk_tiers'"),
        ({"dictionaries": {"risk_tier": {"high": {"en": None}}}}, r"risk_tier.high.en.*non-empty"),
        ({"dictionaries": {"risk_tier": {"high": {"en": " "}}}}, r"risk_tier.high.en.*non-empty"),
        ({"dictionaries": {"sex": {"X": {"zh": "未知"}}}}, r"sex.X.en.*non-empty"),
        ({"dictionaries": {"risk_tier": {"high": {"zh": "高", "en": "High", "fr": "Haut"}}}}, r"'fr'"),
        ({"dictionaries": {"risk_tier": {"new": {"zh": "新", "en": "New"}}}}, r"interval_days.new.*missing"),
        ({"jurisdiction": "Guangzhou"}, r"jurisdiction.*6-digit"),
        ({"schema": 2}, r"schema"),
    ],
)
def test_bad_files_are_rejected(tmp_path: Path, data: dict[str, Any], message: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match=message) as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_unparseable_files_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_rules(path)
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="JSON object"):
        load_rules(path)
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(ValueError, match="UTF-8"):
        load_rules(path)
    with pytest.raises(OSError):
        load_rules(tmp_path / "missing.json")
