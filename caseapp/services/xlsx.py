"""Writing a ledger as an Excel workbook the way offices print and file them.

Title and subtitle across the top, a bold header row repeated on every printed page, ID numbers as
text (Excel would show an 18-digit number as 4.40105E+17 and drop its last digits), amounts with
two decimals, a totals row, landscape A4 fitted to the page width, "第 x 页，共 y 页" in the footer,
panes frozen under the header and a filter on it. Optionally sealed with a password Excel and WPS
ask for when opening the file (ECMA-376 agile encryption, through msoffcrypto-tool).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import msoffcrypto.format.ooxml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from caseapp.crypto.keyfile import check_passphrase
from caseapp.fileio import atomic_write_bytes
from caseapp.services import access
from caseapp.services.ledgers import LEDGERS, Column, Ledger
from caseapp.store.workspace import Workspace

FONT = "宋体"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {"id": "@", "money": "#,##0.00", "int": "0", "date": "yyyy-mm-dd", "text": "@", "percent": "0.0%",
           "decimal": "0.0"}


def _width(value: Any) -> int:
    """Display width: CJK characters take two columns."""
    text = f"{value:%Y-%m-%d}" if isinstance(value, dt.date) else str(value if value is not None else "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "money":
        return float(Decimal(value))  # Excel stores binary doubles; the format shows two decimals
    if kind in ("id", "text"):
        return str(value)
    return value


def workbook_bytes(ledger: Ledger) -> bytes:
    return book_bytes([("台账", ledger)])


def book_bytes(sheets: list[tuple[str, Ledger]]) -> bytes:
    """A workbook of one sheet per ledger (sheet names are cut to Excel's 31 characters)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, ledger in sheets:
        _write_sheet(book.create_sheet(_sheet_name(name)), ledger)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str) -> str:
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]


def _total_formula(ledger: Ledger, column: Column, first: int, last: int) -> str | None:
    def rng(index: int) -> str:
        letter = get_column_letter(index + 1)
        return f"{letter}{first}:{letter}{last}"

    if column.ratio is not None:
        num, den = (rng(i) for i in column.ratio)
        return f'=IF(SUM({den})=0,"",SUM({num})/SUM({den}))'
    if column.weight is not None:
        own, weight = rng(ledger.columns.index(column)), rng(column.weight)
        return f'=IF(SUM({weight})=0,"",SUMPRODUCT({own},{weight})/SUM({weight}))'
    if column.total:
        return f"=SUM({rng(ledger.columns.index(column))})"
    return None


def _write_sheet(sheet: Any, ledger: Ledger) -> None:
    width = len(ledger.columns)
    last = get_column_letter(width)
    sheet.append([ledger.title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(name=FONT, size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([ledger.subtitle])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].font = Font(name=FONT, size=10)
    sheet["A2"].alignment = Alignment(horizontal="right")
    header_row = 3
    sheet.append([c.title for c in ledger.columns])
    for col in range(1, width + 1):
        cell = sheet.cell(row=header_row, column=col)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    widths = [_width(c.title) for c in ledger.columns]
    # Rows are counted here: openpyxl's max_row looks at every cell written so far, which made a
    # 50,000-row ledger take quadratic time (over ten minutes).
    r = header_row
    body = Font(name=FONT, size=10)
    for row in ledger.rows:
        sheet.append([_cell_value(v, c.kind) for v, c in zip(row, ledger.columns, strict=True)])
        r += 1
        for col, column in enumerate(ledger.columns, start=1):
            cell = sheet.cell(row=r, column=col)
            cell.number_format = FORMATS[column.kind]
            cell.font = body
            cell.border = BOX
            widths[col - 1] = max(widths[col - 1], _width(row[col - 1]))
    first_data, last_data = header_row + 1, r
    if any(c.total or c.ratio or c.weight is not None for c in ledger.columns):
        totals: list[Any] = ["合计"] + [None] * (width - 1)
        for col, column in enumerate(ledger.columns, start=1):
            if col > 1 and last_data >= first_data:
                totals[col - 1] = _total_formula(ledger, column, first_data, last_data)
            elif col > 1 and column.total:
                totals[col - 1] = 0
        sheet.append(totals)
        r = sheet.max_row
        for col, column in enumerate(ledger.columns, start=1):
            cell = sheet.cell(row=r, column=col)
            cell.font = Font(name=FONT, size=10, bold=True)
            cell.border = BOX
            cell.number_format = FORMATS[column.kind] if col > 1 else "@"
    if ledger.footer:
        sheet.append([])
        sheet.append([ledger.footer])
        sheet.cell(row=sheet.max_row, column=1).font = Font(name=FONT, size=9)
    for col, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 6), 40)
    sheet.freeze_panes = sheet.cell(row=first_data, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(last_data, header_row)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


#: the first bytes of the OLE container a password-protected workbook is stored in
SEALED_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def is_sealed_workbook(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(SEALED_MAGIC)) == SEALED_MAGIC


def seal_workbook(data: bytes, password: str) -> bytes:
    """The workbook encrypted with ``password``: Excel and WPS ask for it when opening the file."""
    check_passphrase(password)
    office = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data))
    out = io.BytesIO()
    office.encrypt(password, out)
    return out.getvalue()


def open_sealed_workbook(data: bytes, password: str) -> bytes:
    office = msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(data))
    office.load_key(password=password)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


def save_ledger(ws: Workspace, kind: str, path: Path, *, password: str | None, org_prefix: str = "",
                category: str | None = None) -> Ledger:
    """Build a ledger (``ledgers.LEDGERS[kind]``) from the workspace, seal it with ``password``
    (None: no password), write it atomically to ``path`` and note the export in the audit trail."""
    with ws.read() as session:
        ledger = LEDGERS[kind](session, org_prefix=org_prefix, category=category, compiled_by=ws.actor)
    data = workbook_bytes(ledger)
    atomic_write_bytes(path, seal_workbook(data, password) if password is not None else data)
    access.note(ws, access.EXPORT, "ledger", "", {"ledger": kind, "rows": len(ledger.rows), "file": path.name,
                                                   "sealed": password is not None})
    return ledger
