"""An export file from an earlier release wrote an assistance case before its household's members
and income items. Imported and pushed in small batches, the case could reach the server before the
figures its amount is judged by (the members arrive in a later push) and be refused. The import
journals parents and inputs first (caseapp.services.exchange.EXPORT_ORDER), whatever the file's
order: nothing is refused (a real server on 127.0.0.1, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from caseapp.domain import AssistanceCase
from caseapp.services import demo, exchange
from caseapp.store.tables import JournalEntry

from .conftest import Device
from .test_server_validates import server_fields

#: the earlier release's order: cases ahead of the members and income items they are judged over
OLD_FIRST = ("assistance_case",)


def _old_order(lines: list[str]) -> list[str]:
    """Today's export with every case moved ahead of the first member."""
    cases = [line for line in lines if json.loads(line)["type"] in OLD_FIRST]
    rest = [line for line in lines if json.loads(line)["type"] not in OLD_FIRST]
    at = next(n for n, line in enumerate(rest) if json.loads(line)["type"] == "member")
    return rest[:at] + cases + rest[at:]


def test_an_old_order_export_imported_and_pushed_in_small_batches_is_not_refused(
        device: Callable[[str], Device], tmp_path: Path) -> None:
    source = device("admin", login=False)
    demo.generate(source.ws, 30, seed=3)
    with source.ws.read() as s:
        lines = list(exchange.export_lines(s))
        paid = s.scalars(select(AssistanceCase.id).where(AssistanceCase.monthly_amount > 0)).all()
    assert len(paid) >= 3
    old = tmp_path / "old-release.jsonl"
    old.write_text("\n".join(_old_order(lines)) + "\n", encoding="utf-8")
    dev = device("admin")
    exchange.import_file(dev.ws, old)
    with dev.ws.read() as s:
        journaled = [e for e, in s.execute(select(JournalEntry.entity).order_by(JournalEntry.seq))]
    rank = {entity: n for n, entity in enumerate(exchange.EXPORT_ORDER)}
    assert [rank[e] for e in journaled] == sorted(rank[e] for e in journaled)  # parents and inputs first
    report = dev.sync(push_batch=7)
    assert report.push.rejected == 0, report.push
    assert all(server_fields(dev.server, case_id) is not None for case_id in paid)
