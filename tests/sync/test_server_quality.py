"""``caseapp-server quality``: the device's checks across records over every device's data in a
scope, including the same person registered in two communities (the 人情保 pattern), which no single
device holds both records of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from caseapp.domain import Member
from caseapp.services import records
from sync.server import quality as server_quality
from sync.server.cli import main

from .conftest import COMMUNITY_A, COMMUNITY_B, GRID_A1, STREET, Device, Server
from .test_attachment_access import raw, token_of
from .test_end_to_end import new_household

PERSON = "11010519491231002X"


def registered(dev: Device, org: str, name: str) -> str:
    hid = new_household(dev, org, head_name=name)
    with dev.ws.write() as s:
        records.create(s, Member, {"org_code": org, "household_id": hid, "name": name, "relationship": "10",
                                   "id_number": PERSON, "sex": "F"})
    dev.sync()
    return hid


def test_the_same_person_in_two_communities_is_found_in_either_scope(device: Callable[[str], Device],
                                                                     server: Server,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    in_a = registered(device("worker1"), GRID_A1, "王秀英")
    in_b = registered(device("worker3"), COMMUNITY_B, "王秀英")
    with server.db.read() as conn:
        found_a = server_quality.sweep(conn, COMMUNITY_A, dt.date.today())
        found_street = server_quality.sweep(conn, STREET, dt.date.today())
    duplicates = [f for f in found_a if f.check == "duplicate_id"]
    assert [(f.household_id, f.params["households"]) for f in duplicates] == [(in_a, 2)]
    assert {f.household_id for f in found_street if f.check == "duplicate_id"} == {in_a, in_b}
    assert {f.check for f in found_a} == {"duplicate_id"}  # nothing else is wrong with these households

    assert main(["--db", server.db.url, "quality", "--scope", COMMUNITY_A]) == 0
    out = capsys.readouterr().out
    assert "身份证号码重复 (1, 必须更正)" in out
    assert f"{in_a}  王秀英  身份证号码 {PERSON} 还登记在另外 1 条成员记录中（共 2 户）" in out
    assert in_b not in out


def test_supervisors_list_the_findings_of_their_reach_and_caseworkers_may_not(device: Callable[[str], Device],
                                                                              server: Server) -> None:
    worker, other = device("worker1"), device("worker3")
    in_a = registered(worker, GRID_A1, "王秀英")
    registered(other, COMMUNITY_B, "王秀英")
    supervisor = device("supervisor")
    answer = raw(server, token_of(supervisor), "GET", "/quality")
    assert answer.status_code == 200
    findings = answer.json()["findings"]
    assert sorted(f["check"] for f in findings) == ["duplicate_id", "duplicate_id"]
    one = raw(server, token_of(supervisor), "GET", "/quality", params={"scope": COMMUNITY_A}).json()["findings"]
    assert [(f["household_id"], f["key"], f["params"]["households"]) for f in one] == [
        (in_a, "quality.duplicate_id", 2)]
    refused = raw(server, token_of(worker), "GET", "/quality")
    assert (refused.status_code, refused.json()["error"]) == (403, "quality.supervisors_only")
    outside = raw(server, token_of(supervisor), "GET", "/quality", params={"scope": "440106"})
    assert (outside.status_code, outside.json()["error"]) == (403, "quality.scope_outside")
