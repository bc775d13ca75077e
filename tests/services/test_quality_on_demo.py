"""Every check across records on a demo workspace (issue 12's done-when): the demo as generated is clean
of each check's seeded pattern, and one record seeded per check, the way data arrives that no save
refused (two devices offline, an old release, a hostile device), is flagged by its check and by no
other check that was clean before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.services import demo, quality
from caseapp.services.demo import faults
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws, _ = Workspace.create(Path(tmp_path_factory.mktemp("q")) / "demo", PASSPHRASE, kdf=TEST_KDF, actor="tester")
    demo.generate(ws, 300, seed=5, today=TODAY)
    yield ws
    ws.close()


def test_each_check_flags_its_seeded_record_on_a_demo_and_nothing_new_elsewhere(demo_ws: Workspace) -> None:
    with demo_ws.read() as s:
        before = quality.run(s, "", TODAY)
    flagged_before = {(f.check, f.record_id) for f in before}
    # the demo places every household in its own grid
    assert not {f.check for f in before} & {"household_outside_grid", "household_outside_community"}
    with demo_ws.write_engine.begin() as conn:
        seeded = faults.seed(conn, TODAY)
    assert set(seeded) == {c.code for c in quality.CHECKS}  # a check added later needs its seed here
    for code, record_id in seeded.items():
        assert (code, record_id) not in flagged_before, code  # clean before it was seeded
    with demo_ws.read() as s:
        after = quality.run(s, "", TODAY)
    flagged = {(f.check, f.record_id) for f in after}
    for code, record_id in seeded.items():
        assert (code, record_id) in flagged, code
    new = flagged - flagged_before
    seeded_ids = set(seeded.values())
    for code, record_id in new:
        # besides the seeded record: its partner in a pair (the other holder of an ID number, the
        # original of a second case) and the members of the household whose count was lowered
        assert record_id in seeded_ids or code in faults.PAIRS, (code, record_id)
