"""Code lists are judged by the rules in force, also after validation has cached what it reads.

``refdata.install_rules`` is how a deployment puts its own dictionaries in force (a district's own
visit methods, say). Validation keeps per-field checkers and the code sets it reads (a first push
checks every value of thousands of records), so these tests check a value, install other rules,
and check again: the device's ``clean`` and the server's ``checked`` must both follow at once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseapp import refdata
from caseapp.domain import CareVisit, Verification
from caseapp.errors import ValidationErrors
from caseapp.services.validate import clean, clean_wire
from sync.server.errors import Rejected
from sync.server.values import checked

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
DEFAULT_METHODS = tuple(refdata.dictionary("visit_method"))


@pytest.fixture(autouse=True)
def _default_rules() -> Iterator[None]:
    refdata.install_rules(None)
    yield
    refdata.install_rules(None)


def _install(tmp_path: Path, dictionaries: dict[str, Any]) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"dictionaries": dictionaries}, ensure_ascii=False), encoding="utf-8")
    refdata.install_rules(refdata.load_rules(path))


def _refusal(values: dict[str, Any], cls: type = CareVisit) -> tuple[str, str | None, dict[str, Any]]:
    with pytest.raises(Rejected) as refused:
        checked(cls, values, now=NOW, partial=True)
    return refused.value.reason, refused.value.field, refused.value.params


def test_a_code_added_by_installed_rules_is_accepted_and_gone_again_when_they_are_removed(tmp_path: Path) -> None:
    # judged (and cached) under the defaults first
    assert _refusal({"method": "drone"}) == ("record.not_in_list", "method", {"value": "drone"})
    _install(tmp_path, {"visit_method": {"drone": {"zh": "无人机探访", "en": "Drone"}}})
    assert checked(CareVisit, {"method": "drone"}, now=NOW, partial=True) == ({"method": "drone"}, False)
    assert clean(CareVisit, {"method": "无人机探访"}, partial=True) == {"method": "drone"}  # by its label
    refdata.install_rules(None)
    assert _refusal({"method": "drone"}) == ("record.not_in_list", "method", {"value": "drone"})
    with pytest.raises(ValidationErrors):
        clean(CareVisit, {"method": "无人机探访"}, partial=True)


def test_a_code_removed_by_installed_rules_is_refused(tmp_path: Path) -> None:
    assert clean_wire(CareVisit, {"method": "phone"}, partial=True) == {"method": "phone"}
    _install(tmp_path, {"visit_method": {"phone": None}})
    assert _refusal({"method": "phone"}) == ("record.not_in_list", "method", {"value": "phone"})
    assert clean_wire(CareVisit, {"method": "video"}, partial=True) == {"method": "video"}


def test_the_keys_of_a_keyed_field_follow_the_rules_in_force(tmp_path: Path) -> None:
    results = json.dumps({"provident_pension": "none"})
    assert _refusal({"results": results}, Verification) == (
        "record.not_in_list", "results", {"value": "provident_pension"})
    _install(tmp_path, {"verification_source": {"provident_pension": {"zh": "养老金", "en": "Pension"}}})
    assert checked(Verification, {"results": results}, now=NOW, partial=True)[0] == {"results": results}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kept=st.sets(st.sampled_from(DEFAULT_METHODS), min_size=1),
       added=st.sets(st.from_regex(r"[a-z]{3,10}", fullmatch=True), max_size=3),
       tried=st.lists(st.from_regex(r"[a-z_]{3,10}", fullmatch=True) | st.sampled_from(DEFAULT_METHODS),
                      min_size=1, max_size=6))
def test_exactly_the_codes_in_force_are_accepted(tmp_path: Path, kept: set[str], added: set[str],
                                                 tried: list[str]) -> None:
    """Whatever rules were in force before, a value is accepted iff its code is in the rules now."""
    removed = {code: None for code in DEFAULT_METHODS if code not in kept}
    new = {code: {"zh": f"新{code}", "en": code.title()} for code in added if code not in DEFAULT_METHODS}
    for code in tried:  # under the defaults, to fill any cache first
        assert _accepted(code) == (code in DEFAULT_METHODS)
    _install(tmp_path, {"visit_method": {**removed, **new}})
    in_force = set(refdata.codes("visit_method"))
    assert in_force == kept | set(new)
    for code in [*tried, *kept, *new]:
        assert _accepted(code) == (code in in_force), code
    refdata.install_rules(None)
    for code in tried:
        assert _accepted(code) == (code in DEFAULT_METHODS)


def _accepted(code: str) -> bool:
    try:
        out, _ = checked(CareVisit, {"method": code}, now=NOW, partial=True)
    except Rejected as refused:
        assert (refused.reason, refused.field, refused.params) == ("record.not_in_list", "method", {"value": code})
        return False
    assert out == {"method": code}
    return True
