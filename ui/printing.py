"""Lay out and paint printed forms (``caseapp.services.forms``) on A4: on a printer, in the print
preview, or into a PDF in memory (so no unsealed copy touches the disk before
``forms.seal_pdf`` encrypts it).

Each sheet (one record's form) starts on a new page and is numbered on its own, "第 1 页 共 2 页"
centred at the foot, as a form filed on its own is. Margins are 15 mm, 20 mm on the left for
binding. Chinese text needs a font with the glyphs: the families are named in order of
preference — 宋体 where Windows has it, 宋体-SC on macOS, WenQuanYi Micro Hei (which
``scripts/system-deps`` installs) on Debian — and Qt falls back to any installed CJK font.
"""

from __future__ import annotations

from collections.abc import Sequence

from caseapp.services.forms import Sheet
from caseapp.services.forms.layout import KEEP, SECTION
from ui.qt import (
    QAbstractTextDocumentLayout,
    QBuffer,
    QByteArray,
    QColor,
    QFont,
    QIODevice,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPrinter,
    QRectF,
    QSizeF,
    Qt,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

FAMILIES = ["SimSun", "宋体", "Songti SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC"]
MARGINS_MM = QMarginsF(20.0, 15.0, 15.0, 15.0)
#: room at the foot of each page for its number
FOOTER_MM = 9.0
PDF_DPI = 300
BLACK = QColor(0, 0, 0)
Device = QPdfWriter | QPrinter


def page_layout(landscape: bool = False) -> QPageLayout:
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, MARGINS_MM, QPageLayout.Unit.Millimeter)


def font(points: float = 10.5) -> QFont:
    chosen = QFont()
    chosen.setFamilies(FAMILIES)
    chosen.setPointSizeF(points)
    return chosen


def _document(sheet: Sheet, device: Device, size: QSizeF) -> QTextDocument:
    doc = QTextDocument()
    # Laid out for the device itself: fonts and rules are measured at its resolution.
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(font())
    doc.setDocumentMargin(0)
    doc.setHtml(sheet.html)
    doc.setPageSize(size)
    _keep_together(doc, size.height())
    return doc


def _anchor(doc: QTextDocument, block: QTextBlock) -> str:
    """The section anchor a block starts with (``layout.KEEP``, ``layout.SECTION``), or ""."""
    if block.length() < 2:
        return ""
    cursor = QTextCursor(doc)
    cursor.setPosition(block.position() + 1)
    names = cursor.charFormat().anchorNames()
    return next((name for name in names if name in (KEEP, SECTION)), "")


def _keep_together(doc: QTextDocument, page_height: float) -> None:
    """Move each section marked ``KEEP`` (a heading and its signature boxes) to the next page when
    it would be split across two, as long as it fits on one page. Qt splits table rows across
    pages, which would leave a signature box's title on one sheet and its date line on the next."""
    headings = []
    block = doc.begin()
    while block.isValid():
        kind = _anchor(doc, block)
        if kind:
            headings.append((block, kind))
        block = block.next()
    layout = doc.documentLayout()
    for n, (start, kind) in enumerate(headings):
        if kind != KEEP:
            continue
        top = layout.blockBoundingRect(start).top()
        end = (layout.blockBoundingRect(headings[n + 1][0]).top() if n + 1 < len(headings)
               else layout.documentSize().height())
        if int(top // page_height) != int((end - 1) // page_height) and end - top < page_height:
            moved = QTextBlockFormat()
            moved.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(start).mergeBlockFormat(moved)  # later positions follow on the next query


def paint(device: Device, sheets: Sequence[Sheet]) -> int:
    """Paint every sheet on ``device`` (its page layout already set); the number of pages painted."""
    dpi = device.resolution()
    area = device.pageLayout().paintRectPixels(dpi)
    footer = FOOTER_MM * dpi / 25.4
    body = QSizeF(area.width(), area.height() - footer)
    painter = QPainter()
    if not painter.begin(device):
        return 0
    painted = 0
    try:
        for sheet in sheets:
            doc = _document(sheet, device, body)
            pages = doc.pageCount()
            for page in range(pages):
                if painted:
                    device.newPage()
                top = page * body.height()
                painter.save()
                painter.translate(0, -top)
                visible = QRectF(0, top, body.width(), body.height())
                painter.setClipRect(visible)
                context = QAbstractTextDocumentLayout.PaintContext()
                context.clip = visible
                context.palette.setColor(QPalette.ColorRole.Text, BLACK)  # paper, whatever the desktop theme
                doc.documentLayout().draw(painter, context)
                painter.restore()
                painter.setFont(font(9))
                painter.drawText(QRectF(0, body.height(), body.width(), footer), Qt.AlignmentFlag.AlignCenter,
                                 f"第 {page + 1} 页 共 {pages} 页")
                painted += 1
    finally:
        painter.end()
    return painted


def pdf_bytes(sheets: Sequence[Sheet], title: str = "") -> tuple[bytes, int]:
    """The sheets as one PDF, and its number of pages."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(page_layout(bool(sheets) and sheets[0].landscape))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("CaseApp")
    pages = paint(writer, sheets)
    del writer  # finishes the file
    buffer.close()
    return bytes(data.data()), pages
