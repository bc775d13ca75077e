"""The parts every printed form is made of, as HTML a ``QTextDocument`` lays out on A4.

Official forms are filed on paper and signed, so they are in Chinese whatever the UI language, and
they look the way offices expect: a title, a heading block naming the issuing unit (the record's
org unit, by its full name from ``caseapp.refdata``), the record's number and the date printed;
ruled tables with single borders; signature and seal boxes with room to sign. Page numbers are
painted by the renderer (``ui/printing.py``), which knows where the pages break.

Every field a form shows is labelled with the field's own label from the model and its value said
through ``caseapp.services.display`` (codes as names, states as the workflow calls them, dates and
amounts as forms write them), so a form never words a field differently from the screen. All text
is escaped: a name or an address can never inject markup into the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from caseapp import refdata
from caseapp.domain.base import Record
from caseapp.domain.fields import field_label
from caseapp.services import display

ZH = "zh"
#: the ruled-table markup: one line between cells (Qt draws ``border-collapse`` as single rules)
RULED = 'width="100%" border="1" cellspacing="0" cellpadding="4" style="border-collapse: collapse"'
STYLE = """
body { font-size: 10.5pt; }
h1 { font-size: 18pt; font-weight: bold; text-align: center; margin-top: 0; margin-bottom: 2pt; }
p.section { font-size: 11pt; font-weight: bold; margin-top: 8pt; margin-bottom: 3pt; }
p.sub { font-size: 12pt; text-align: center; margin-top: 0; margin-bottom: 4pt; }
p.note { font-size: 9pt; margin-top: 4pt; white-space: pre-wrap; }
th { font-size: 9.5pt; font-weight: bold; }
td { font-size: 9.5pt; }
td.box { font-size: 10pt; }
"""
NO_ENTRIES = "无"
#: the anchor that starts a group of blocks printed on one page (a section and its signature
#: boxes): the renderer moves the group to the next page rather than split it
KEEP = "keep-together"
#: the anchor of every other section heading (where a kept group ends)
SECTION = "section"
DATE_LINE = '<p align="right" style="white-space: pre">年　　　月　　　日</p>'


def label(cls: type[Record], name: str) -> str:
    """The field's label, as the model declares it (forms are Chinese)."""
    return field_label(cls, name, ZH)


def said(record: Record, name: str) -> str:
    """The record's value of ``name`` as a person reads it; ID numbers in full (a form is the
    person's own signed record)."""
    return display.value_text(record.entity, name, getattr(record, name), ZH)


def text(value: Any) -> str:
    """Escaped text, line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br>")


def known_division(org_code: str) -> str:
    """The longest prefix of ``org_code`` that names a division (grids sit in communities)."""
    return next((org_code[:n] for n in (12, 9, 6) if len(org_code) >= n and refdata.division(org_code[:n])), "")


def issuing_unit(org_code: str) -> str:
    """The unit a form is issued by: the full name of the record's org unit (广州市海珠区赤岗街道
    …社区), or its code where the reference data does not know it."""
    known = known_division(org_code)
    return refdata.full_name(known) if known else org_code


def number(record_id: str) -> str:
    """A form's number: the first 8 characters of the record id, as the saved file's name has it."""
    return record_id.replace("-", "")[:8]


def date_text(day: dt.date) -> str:
    return f"{day:%Y年%m月%d日}"


def page(title: str, body: str, *, unit: str, record: Record | None, today: dt.date,
         subtitle: str = "") -> str:
    """A whole form: title, the heading block (issuing unit, number, date printed) and the body."""
    number_cell = f"{text(label(type(record), 'id'))}：{text(number(record.id))}" if record is not None else ""
    sub = f'<p class="sub">{text(subtitle)}</p>' if subtitle else ""
    return f"""<html><head><meta charset="utf-8"><style>{STYLE}</style></head><body>
<h1>{text(title)}</h1>{sub}
<table width="100%" cellspacing="0" cellpadding="2" border="0"><tr>
<td width="62%">填报单位：{text(unit)}</td><td width="38%" align="right">{number_cell}</td></tr>
<tr><td></td><td align="right">填表日期：{date_text(today)}</td></tr></table>
{body}
</body></html>"""


def section(title: str, *, keep: bool = False) -> str:
    """A section heading; ``keep``: it and everything up to the end of the next table print on one
    page (the renderer moves them to the next page rather than split a signature box)."""
    inner = f'<a name="{KEEP if keep else SECTION}">{text(title)}</a>'
    return f'<p class="section">{inner}</p>'


@dataclass(frozen=True)
class Fact:
    """One labelled value of a facts table; ``wide`` takes the whole row."""

    label: str
    value: str
    wide: bool = False


def facts_of(record: Record, names: Iterable[str], *, wide: Iterable[str] = ()) -> list[Fact]:
    """The record's fields as facts, each labelled by the model."""
    across = set(wide)
    return [Fact(label(type(record), name), said(record, name), name in across) for name in names]


def facts(items: Sequence[Fact], *, per_row: int = 2) -> str:
    """A ruled table of label / value pairs, ``per_row`` pairs a row (wide facts alone on theirs)."""
    rows: list[str] = []
    line: list[str] = []
    cell_width = 100 // (per_row * 2)

    def flush() -> None:
        if line:
            filler = per_row - len(line)
            tail = f'<td colspan="{filler * 2}"></td>' if filler else ""
            rows.append("<tr>" + "".join(line) + tail + "</tr>")
            line.clear()

    for item in items:
        head = f'<th width="{cell_width}%" align="left">{text(item.label)}</th>'
        if item.wide:
            flush()
            rows.append(f'<tr>{head}<td colspan="{per_row * 2 - 1}">{text(item.value)}</td></tr>')
            continue
        line.append(f'{head}<td width="{cell_width}%">{text(item.value)}</td>')
        if len(line) == per_row:
            flush()
    flush()
    return f"<table {RULED}>{''.join(rows)}</table>"


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], *, nowrap: Iterable[int] = (),
         totals: Sequence[str] | None = None, repeat_header: bool = False) -> str:
    """A ruled table with a header row; columns in ``nowrap`` (ID numbers, dates) never break.
    With ``repeat_header`` the header row is printed again at the top of every page."""
    keep = set(nowrap)

    def cell(tag: str, n: int, value: str) -> str:
        style = ' style="white-space: nowrap"' if n in keep and tag == "td" else ""
        align = ' align="center"' if tag == "th" else ""
        return f"<{tag}{style}{align}>{text(value)}</{tag}>"

    head = "<tr>" + "".join(cell("th", n, h) for n, h in enumerate(headers)) + "</tr>"
    if rows:
        body = "".join("<tr>" + "".join(cell("td", n, v) for n, v in enumerate(row)) + "</tr>" for row in rows)
    else:
        body = f'<tr><td colspan="{len(headers)}" align="center">{NO_ENTRIES}</td></tr>'
    foot = ("<tr>" + "".join(f"<th>{text(v)}</th>" for v in totals) + "</tr>") if totals is not None else ""
    head_part = f"<thead>{head}</thead>" if repeat_header else head
    return f"<table {RULED}>{head_part}{body}{foot}</table>"


def text_box(title: str, value: str, *, lines: int = 3) -> str:
    """A ruled box with its label on top and room for ``lines`` lines of text."""
    room = "<br>" * max(lines - value.count("\n") - 1, 0)
    head = f'<tr><th align="left">{text(title)}</th></tr>' if title else ""
    return f'<table {RULED}>{head}<tr><td class="box">{text(value)}{room}</td></tr></table>'


@dataclass(frozen=True)
class Box:
    """A signature (and seal) box: who signs, what is already known of them, whether it takes
    the unit's seal (盖章)."""

    title: str
    signer: str = "签字："
    #: the name of who signs, where it is known (printed; the signature itself is handwritten)
    name: str = ""
    seal: bool = False


def boxes(items: Sequence[Box], *, room: int = 3) -> str:
    """Signature and seal boxes side by side in one ruled row: the title (and the signer's name
    where known), room for a handwritten opinion, the signature line, the seal mark, the date."""
    width = 100 // max(len(items), 1)
    cells = []
    for box in items:
        name = f"（{text(box.name)}）" if box.name else ""
        # the same height with or without the seal mark: date lines side by side stay level
        mark = "（盖章）" if box.seal else " "
        seal = f'<p align="right" style="white-space: pre">{mark}</p>'
        cells.append(
            f'<td class="box" width="{width}%" valign="top"><b>{text(box.title)}</b>{name}{"<br>" * room}'
            f"{text(box.signer)}<br>{seal}{DATE_LINE}</td>"
        )
    return f"<table {RULED}><tr>{''.join(cells)}</tr></table>"


def note(value: str) -> str:
    return f'<p class="note">{text(value)}</p>'
