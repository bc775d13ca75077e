"""Forms laid out by ``caseapp.services.forms`` rendered to PDF, in memory (so no unsealed copy
touches the disk before ``forms.seal_pdf`` encrypts it).

A4, 15 mm margins. Chinese text needs a font with the glyphs: Qt falls back to any installed CJK
font (SimSun / Microsoft YaHei on Windows, WenQuanYi on Debian), so none is named here. The PDF is
printed from the user's PDF viewer: Qt's own print dialogs depend on the platform's print system
and are not used.
"""

from __future__ import annotations

from ui.qt import QBuffer, QByteArray, QIODevice, QMarginsF, QPageLayout, QPageSize, QPdfWriter, QTextDocument

MARGIN_MM = 15.0


def pdf_bytes(html: str, title: str = "") -> tuple[bytes, int]:
    """``html`` as a PDF, and its number of pages."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("CaseApp")
    doc = QTextDocument()
    doc.setHtml(html)
    doc.print_(writer)
    pages = doc.pageCount()
    del writer  # finishes the file
    buffer.close()
    return bytes(data.data()), pages
