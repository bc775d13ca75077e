"""Every printed form, end to end: the print dialog builds it from real records, the preview lays it
out, "Save as PDF" writes it sealed with a password and notes each record in the audit trail; the
sealed file, opened with its password by an independent reader (pdftoppm), matches the reviewed
reference render of each page (tests/ui/print_compare.py says how closely)."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from caseapp.store.tables import AuditEntry
from tests.ui import print_compare, print_data
from tests.ui.print_data import TODAY, Printed
from ui.forms.print_dialog import PrintDialog, PrintJob, form_job, ledger_job
from ui.window import AppWindow

PASSWORD = "form passphrase 2026"

#: each printed form (or batch), the job that prints it, and what must read on its pages
CASES: dict[str, tuple[Callable[[Printed], PrintJob], tuple[str, ...]]] = {
    "household_sheet": (lambda p: form_job("household_sheet", [p.household], today=TODAY),
                        ("家庭基本情况登记表", "黄淑芬", "440104196803052227", "2,550.50", "洪桥街道三眼井社区居委会")),
    "consent": (lambda p: form_job("consent", [p.household], today=TODAY),
                ("家庭经济状况核对授权书", "最低生活保障", "住房公积金", "陈桂英", "本人签字（捺印）")),
    "investigation": (lambda p: form_job("investigation", [p.investigation], today=TODAY),
                      ("入户调查表", "张敏、刘志强", "广州市越秀区房管局", "建议纳入最低生活保障", "调查人员（二）")),
    "approval": (lambda p: form_job("approval", [p.case], today=TODAY),
                 ("最低生活保障（低保）审核审批表", "符合条件", "2026-11-10 10:00", "公示",
                  "区（县）民政部门审批意见")),
    "care_visit": (lambda p: form_job("care_visit", [p.visit], today=TODAY),
                   ("探访记录表", "陈桂英", "重点关注", "两周内电话回访", "老人或家属")),
    "referral": (lambda p: form_job("referral", [p.referral], today=TODAY),
                 ("转介单", "李晓明", "越秀区青少年事务社会工作服务站", "紧急", "接收方回执")),
    "disaster_series": (lambda p: form_job("disaster_report", [p.initial, p.update], today=TODAY),
                        ("灾情报告", "（初报）", "（续报）", "1530", "2,630,000.00")),
    "ledger_assistance": (lambda p: ledger_job("assistance", compiled_by="张敏", today=TODAY),
                          ("社会救助对象台账", "黄淑芬", "周玉兰", "YX-2026-0020", "合计")),
    "ledger_notice": (lambda p: ledger_job("notice", compiled_by="张敏", today=TODAY),
                      ("公示名单", "梁志刚", "1,120.00")),
}


@pytest.fixture
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times print in the office's local time: fix it, so the references hold on any machine."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _text(pdf: Path, password: str) -> str:
    reader = PdfReader(pdf)
    assert reader.is_encrypted and reader.decrypt(password)
    # (text extraction may split a run of glyphs with spaces or line breaks)
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


@pytest.mark.parametrize("case", sorted(CASES))
def test_printed_form_is_sealed_audited_and_matches_its_reviewed_render(qtbot, window: AppWindow, tmp_path: Path,
                                                                       shanghai: None, case: str) -> None:
    ws = window.session.ws
    assert ws is not None
    printed = print_data.fill(ws)
    job, expected = CASES[case]
    dialog = PrintDialog(window.session, job(printed), window)
    with qtbot.waitSignal(dialog.ready, timeout=15_000):
        dialog.show()
    assert dialog.preview.pageCount() == dialog.pages >= 1
    dialog.secret.password.setText(PASSWORD)
    dialog.secret.again.setText(PASSWORD)
    target = tmp_path / dialog.suggested_name()
    with qtbot.waitSignal(dialog.saved, timeout=15_000):
        dialog.save_to(target)

    data = target.read_bytes()
    assert "黄淑芬".encode() not in data and b"440104196803052227" not in data  # sealed: nothing in clear
    text = _text(target, PASSWORD)
    missing = [word for word in expected if "".join(word.split()) not in text]
    assert not missing, f"{case}: not on the printed pages: {missing}"

    with ws.read() as db:
        noted = [(e.entity, e.row_id, json.loads(e.changes)) for e in db.scalars(
            select(AuditEntry).where(AuditEntry.action == "export"))]
    sheets = dialog.sheets
    assert sorted((e, r) for e, r, _ in noted) == sorted((s.entity, s.record_id) for s in sheets)
    assert all(d["printed"] == sheets[0].form and d["file"] == target.name and d["sealed"] for _, _, d in noted)

    pages = print_compare.render(target, PASSWORD, tmp_path / case)
    assert len(pages) == dialog.pages
    print_compare.check_pages(pages, case)


def test_the_comparison_passes_a_resampled_render_and_catches_a_moved_layout(qtbot, window: AppWindow,
                                                                            tmp_path: Path, shanghai: None) -> None:
    """The tolerance is real in both directions. The same page rasterised at 76 dpi and resampled
    to the reference's size (every glyph and rule shifted by a fraction of a pixel and softened,
    as another machine's rasteriser would) passes; the page of the same household with one more
    member (every line below the member table one row lower) fails. What the page says, glyph by
    glyph, is checked by the text assertions above."""
    from caseapp.domain import Member
    from caseapp.services import forms, records
    from ui import printing
    from ui.qt import QImage, Qt

    ws = window.session.ws
    assert ws is not None
    printed = print_data.fill(ws)
    reference = print_compare.REFERENCES / "household_sheet-1.png"
    size = QImage(str(reference)).size()

    def first_page(dpi: int) -> Path:
        with ws.read() as db:
            pdf, _pages = printing.pdf_bytes(forms.render_many(db, "household_sheet", [printed.household],
                                                               today=TODAY))
        path = tmp_path / f"sheet-{dpi}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", str(path),
                        str(tmp_path / f"sheet-{dpi}")], check=True, timeout=60)
        page = next(tmp_path.glob(f"sheet-{dpi}-*.png"))
        resampled = QImage(str(page)).scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation)
        assert resampled.save(str(page))
        return page

    softer = print_compare.difference(first_page(76), reference)
    assert softer.acceptable, softer
    with ws.write() as db:
        records.create(db, Member, {"org_code": print_data.ORG, "household_id": printed.household, "name": "李晓红",
                                    "relationship": "21"})
    moved = print_compare.difference(first_page(75), reference)
    assert not moved.acceptable, moved


def test_a_printer_that_writes_a_file_is_refused(qtbot, window: AppWindow, tmp_path: Path) -> None:
    """Qt's print dialog offers 'print to file' (and some systems install a PDF printer): such a
    printer would write the form unencrypted, so nothing is written and nothing is noted."""
    from ui.qt import QPrinter

    ws = window.session.ws
    assert ws is not None
    printed = print_data.fill(ws)
    dialog = PrintDialog(window.session, form_job("household_sheet", [printed.household]), window)
    with qtbot.waitSignal(dialog.ready, timeout=15_000):
        dialog.show()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "plain.pdf"))
    assert dialog.print_to(printer) == 0
    assert not (tmp_path / "plain.pdf").exists() and dialog.error.isVisibleTo(dialog)
    with ws.read() as db:
        assert not db.scalars(select(AuditEntry).where(AuditEntry.action == "export")).first()
