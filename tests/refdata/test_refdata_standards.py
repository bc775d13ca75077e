"""The standards table: the figure in force by date, district and area, multiples, and refusals."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseapp.refdata import StandardNotFound, default_standards, parse_standards
from caseapp.refdata._standards import default_raw


def _raw() -> dict[str, Any]:
    return copy.deepcopy(default_raw())


def _entry(**over: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": "dibao", "effective_from": "2020-01-01", "district": None, "area": "all",
                             "amount": "1000", "source": "test notice", "verified": True}
    entry.update(over)
    return entry


def _table(*entries: dict[str, Any]) -> Any:
    return parse_standards({"jurisdiction": "440100", "source": "test", "standards": list(entries)})


def test_every_shipped_figure_names_its_source_and_says_whether_it_was_checked() -> None:
    for row in default_raw()["standards"] + default_raw()["supplements"]:
        assert row["source"].strip()
        assert isinstance(row["verified"], bool)
        if not row["verified"]:
            assert "check against the published notice" in row["note"]


def test_guangzhou_multiples_follow_the_dibao_standard() -> None:
    table = default_standards()
    on = dt.date(2024, 3, 1)
    dibao = table.standard_for("dibao", on, "440105001001")
    assert table.standard_for("low_income", on, "440105").amount == dibao.amount * Decimal("1.5")
    assert table.standard_for("tekun", on, "440105", rural=True).amount == dibao.amount * Decimal("1.6")


def test_latest_figure_on_or_before_the_day_wins() -> None:
    table = _table(_entry(), _entry(effective_from="2021-07-01", amount="1100"))
    assert table.standard_for("dibao", dt.date(2021, 6, 30)).amount == 1000
    assert table.standard_for("dibao", dt.date(2021, 7, 1)).amount == 1100
    with pytest.raises(StandardNotFound):
        table.standard_for("dibao", dt.date(2019, 12, 31))


def test_district_and_area_figures_win_over_the_citys() -> None:
    table = _table(_entry(), _entry(district="440117", area="rural", amount="900", source="从化"))
    assert table.standard_for("dibao", dt.date(2022, 1, 1), "440117001", rural=True).amount == 900
    assert table.standard_for("dibao", dt.date(2022, 1, 1), "440117001", rural=False).amount == 1000
    assert table.standard_for("dibao", dt.date(2022, 1, 1), "440105001", rural=True).amount == 1000


@pytest.mark.parametrize(("change", "problem"), [
    ({"kind": "nonsense"}, "kind"),
    ({"amount": "-1"}, "amount"),
    ({"effective_from": "2020-13-01"}, "effective_from"),
    ({"district": "4401"}, "district"),
    ({"verified": "yes"}, "verified"),
    ({"multiple_of": "dibao", "factor": "1.5"}, "either amount"),
])
def test_a_bad_entry_is_refused_naming_the_key(change: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        _table(_entry(**change))


def test_a_multiple_of_itself_is_refused() -> None:
    a = _entry(kind="low_income", amount=None, multiple_of="tekun", factor="1.5")
    b = _entry(kind="tekun", amount=None, multiple_of="low_income", factor="1.5")
    del a["amount"], b["amount"]
    with pytest.raises(ValueError, match="multiple of itself"):
        _table(a, b)


def test_the_digest_changes_with_the_table() -> None:
    raw = _raw()
    before = parse_standards(raw).digest
    raw["standards"][0]["amount"] = "999"
    assert parse_standards(raw).digest != before
    assert parse_standards(_raw()).digest == before


@given(st.dates(min_value=dt.date(2018, 7, 1), max_value=dt.date(2040, 1, 1)), st.booleans())
def test_a_multiple_is_the_factor_times_its_base_on_every_day(on: dt.date, rural: bool) -> None:
    table = default_standards()
    base = table.standard_for("dibao", on, "440113", rural)
    assert table.standard_for("low_income", on, "440113", rural).amount == (base.amount * Decimal("1.5")).quantize(
        Decimal("0.01"))
    assert table.standard_for("dibao", on, "440113", rural).effective_from <= on


# -- figures an administrator adds on the server (caseapp.refdata.check_entry, with_server_rows) --

_rows = st.fixed_dictionaries(
    {"kind": st.sampled_from(["dibao", "tekun", "low_income", "care_subsidy", "nonsense", ["dibao"], 3]),
     "effective_from": st.sampled_from(["2024-07-01", "2025-07-01", "2025-02-30", ""]),
     "district": st.sampled_from([None, "440105", "440106", "4401", "44010x"]),
     "area": st.sampled_from(["all", "urban", "rural", "suburb", {"a": 1}]),
     "source": st.sampled_from(["穗民规字〔2025〕1号", " "]),
     "verified": st.sampled_from([True, False, "yes"])},
    optional={"amount": st.sampled_from(["1300", "1300.50", "-1", "1e9", "abc", 1300]),
              "multiple_of": st.sampled_from(["dibao", "tekun", "low_income", ["dibao"]]),
              "factor": st.sampled_from(["1.5", "2"]),
              "level": st.sampled_from(["self_care", ""]),
              "note": st.sampled_from(["", "测试", 7]),
              "year": st.sampled_from([2024, 2025, "2025", True]),
              "extra": st.just(1)})


@given(row=_rows)
def test_a_server_figure_passes_exactly_when_the_shipped_table_would_take_it(row: dict[str, Any]) -> None:
    """One validator: a row an administrator adds is refused by the same rules as a row of the file."""
    from caseapp.refdata import check_entry

    raw = _raw()
    raw["standards"].append(row)
    try:
        parse_standards(raw)
        shipped_takes = True
    except ValueError:
        shipped_takes = False
    try:
        canonical = check_entry(row)
    except ValueError:
        assert not shipped_takes
        return
    assert shipped_takes
    assert check_entry(canonical) == canonical  # canonical form is a fixed point


@given(amount=st.decimals(min_value=0, max_value=100000, places=2), day=st.integers(0, 800))
def test_a_server_figure_wins_from_its_day_on_and_only_there(amount: Decimal, day: int) -> None:
    from caseapp.refdata import with_server_rows

    start = dt.date(2024, 1, 1) + dt.timedelta(days=day)
    row = {"kind": "dibao", "effective_from": start.isoformat(), "district": "440105", "area": "all",
           "amount": str(amount), "source": "server notice", "verified": True}
    table, shipped = with_server_rows([row]), default_standards()
    for on in (start - dt.timedelta(days=1), start, start + dt.timedelta(days=400)):
        got = table.standard_for("dibao", on, "440105")
        if on < start:
            assert got == shipped.standard_for("dibao", on, "440105")
        elif shipped.standard_for("dibao", on, "440105").effective_from > start:
            assert got == shipped.standard_for("dibao", on, "440105")  # a later shipped figure
        else:
            assert (got.amount, got.source) == (amount, "server notice")
        assert table.standard_for("dibao", on, "440106") == shipped.standard_for("dibao", on, "440106")
    assert table.digest != shipped.digest
