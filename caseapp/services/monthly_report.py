"""The 月报: the monthly statistics (caseapp.services.statistics) laid out as the workbook an office
files. One sheet per table: its title with the area and month, the reporting unit and counting day,
the table with a 合计 row that Excel works out (sums, and rates and means from their parts, so an edit
in a cell carries through), and the sign-off line (填报人, 审核人, 单位负责人, 填报日期) and the
counting rules under it.

The figures are counts and sums, never a person's record, but the file is still sealed with a
password when the user gives one (caseapp.services.xlsx)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from caseapp.fileio import atomic_write_bytes
from caseapp.messages import message
from caseapp.services import access, listing, statistics, xlsx
from caseapp.services.ledgers import Column, Kind, Ledger
from caseapp.store.workspace import Workspace

#: how each kind of figure is written in the workbook
KINDS: dict[statistics.Kind, Kind] = {"text": "text", "int": "int", "money": "money", "percent": "percent",
                                      "hours": "decimal"}


def area_name(db: Session, scope: Sequence[str] | None, lang: str = "zh") -> str:
    """The name a report is headed with: its org units' names (caseapp.services.listing.org_names), or
    everything on the device when no scope."""
    if not scope:
        return message("stats.all_area", lang)
    names = listing.org_names(db, scope)
    return "、".join(names[code] for code in scope)


def report_ledger(table: statistics.Table, *, area: str, month: statistics.Month, as_of: dt.date,
                  compiled_by: str, on: dt.date) -> Ledger:
    """One table as a 月报 sheet (in Chinese, as filed)."""
    titles = statistics.column_titles(table, "zh")
    columns: list[Column] = [Column(titles[0])]
    for i, col in enumerate(table.columns, start=1):
        ratio = (table.index(col.ratio[0]) + 1, table.index(col.ratio[1]) + 1) if col.ratio else None
        weight = table.index(col.weight) + 1 if col.weight else None
        columns.append(Column(titles[i], KINDS[col.kind], total=col.total and ratio is None and weight is None,
                              ratio=ratio, weight=weight))
    rows = [[label, *values] for label, values in zip(table.labels, table.rows, strict=True)]
    name = statistics.title(table.key, "zh")
    return Ledger(
        title=message("stats.report_title", "zh", area=area, table=name, month=month.text("zh")),
        subtitle=message("stats.report_unit", "zh", area=area, month=month.text("zh"), as_of=as_of.isoformat()),
        columns=columns,
        rows=rows,
        footer=message("stats.report_footer", "zh", compiled_by=compiled_by, on=on.isoformat(),
                       note=message(f"stats.{table.key}.note", "zh")),
    )


def report_bytes(db: Session, keys: Sequence[str], scope: Sequence[str] | None, month: statistics.Month,
                 today: dt.date, compiled_by: str) -> bytes:
    area = area_name(db, scope)
    sheets = []
    for key in keys:
        # a 现状 table counts what stands today; the others count the month, up to today
        as_of = today if statistics.SPECS[key].snapshot else min(today, month.last)
        table = statistics.compute(db, key, scope, month, today, "zh")
        sheets.append((statistics.title(key, "zh"), report_ledger(table, area=area, month=month, as_of=as_of,
                                                                  compiled_by=compiled_by, on=today)))
    return xlsx.book_bytes(sheets)


def save_report(ws: Workspace, keys: Sequence[str], path: Path, *, scope: Sequence[str] | None,
                month: statistics.Month, today: dt.date, password: str | None) -> int:
    """Write the tables ``keys`` of ``month`` for ``scope`` to ``path`` (atomically; sealed with
    ``password`` unless None) and note the export in the audit trail. Returns the sheets written."""
    with ws.read() as db:
        data = report_bytes(db, keys, scope, month, today, ws.actor)
    atomic_write_bytes(path, xlsx.seal_workbook(data, password) if password is not None else data)
    access.note(ws, access.EXPORT, "statistics", "", {"tables": list(keys), "month": str(month),
                                                      "scope": list(scope or []), "file": path.name,
                                                      "sealed": password is not None})
    return len(keys)
