"""The ledgers (救助对象台账, 公示名单) as printed tables: the same ``caseapp.services.ledgers``
data the Excel workbooks hold (so the columns, their headings and what a notice may show are
decided in one place), with the header row repeated on every page and the totals at the foot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from caseapp.services.forms import layout
from caseapp.services.ledgers import Column, Ledger


def _cell(value: Any, column: Column) -> str:
    if value is None or value == "":
        return ""
    if column.kind == "money":
        return f"{Decimal(value):,.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def ledger_page(ledger: Ledger) -> str:
    columns = list(ledger.columns)
    rows = [[_cell(v, c) for v, c in zip(row, columns, strict=True)] for row in ledger.rows]
    totals: list[str] | None = None
    if any(c.total for c in columns):
        sums = [sum((Decimal(row[n] or 0) for row in ledger.rows), Decimal(0)) if c.total else None
                for n, c in enumerate(columns)]
        totals = ["合计" if n == 0 else (_cell(s, c) if s is not None else "")
                  for n, (s, c) in enumerate(zip(sums, columns, strict=True))]
    # numbers, dates and phone numbers never break; names and addresses wrap
    nowrap = [n for n, c in enumerate(columns)
              if c.kind in ("id", "date", "money", "int") or (c.source and c.source[1] == "phone")]
    table = layout.grid([c.title for c in columns], rows, nowrap=nowrap, totals=totals, repeat_header=True)
    return f"""<html><head><meta charset="utf-8"><style>{layout.STYLE}
th {{ font-size: 8pt; }} td {{ font-size: 8pt; }}</style></head><body>
<h1>{layout.text(ledger.title)}</h1><p class="sub">{layout.text(ledger.subtitle)}</p>
{table}{layout.note(ledger.footer) if ledger.footer else ""}
</body></html>"""
