"""Where a person prints from, in the Chinese UI: the household view's Print menu (its two forms),
the print button of every records tab whose record type has a form, the ledger dialog, and a
batch of records for a filtered list. Each opens the preview; where no printer is set up, "Save as
PDF" is the way to print, and the file is sealed."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from tests.ui import print_data
from ui.forms.print_dialog import PrintDialog, has_printer, print_records
from ui.window import AppWindow

PASSWORD = "form passphrase 2026"


def _ready(qtbot, dialog: PrintDialog | None) -> PrintDialog:
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loaded, timeout=15_000)
    assert dialog.isVisible() and dialog.pages >= 1
    return dialog


def _save(qtbot, dialog: PrintDialog, target: Path) -> str:
    dialog.secret.password.setText(PASSWORD)
    dialog.secret.again.setText(PASSWORD)
    with qtbot.waitSignal(dialog.saved, timeout=15_000):
        dialog.save_to(target)
    reader = PdfReader(target)
    assert reader.is_encrypted and reader.decrypt(PASSWORD)
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def test_each_form_prints_from_where_its_record_is_shown(qtbot, chinese_window: AppWindow, tmp_path: Path) -> None:
    window = chinese_window
    ws = window.session.ws
    assert ws is not None
    printed = print_data.fill(ws)
    window.main_screen.open_household(printed.household)
    view = window.main_screen.households.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)

    # The household's own forms, from its Print menu.
    assert view.print_button.text() == "打印…"
    actions = {a.objectName(): a for a in view.print_button.menu().actions()}
    assert sorted(actions) == ["print_consent", "print_household_sheet"]
    assert actions["print_consent"].text() == "家庭经济状况核对授权书"
    actions["print_consent"].trigger()
    dialog = _ready(qtbot, view.print_dialog)
    assert dialog.windowTitle() == "打印：家庭经济状况核对授权书"
    assert dialog.save.text() == "另存为 PDF…" and "共 1 份" in dialog.status.text()
    if not has_printer():  # the offscreen platform, a field laptop: to PDF
        assert not dialog.print_button.isEnabled() and "另存为 PDF" in dialog.print_button.toolTip()
    assert dialog.suggested_name().startswith(f"授权书-{printed.household.replace('-', '')[:8]}-")
    assert "陈桂英" in _save(qtbot, dialog, tmp_path / dialog.suggested_name())

    # A record's form, from its tab: the print button follows the selection.
    for tab, record_id, title, word in ((view.cases, printed.case, "社会救助审核审批表", "审核审批表"),
                                        (view.investigations, printed.investigation, "入户调查表", "张敏、刘志强"),
                                        (view.visits, printed.visit, "探访记录表", "两周内电话回访"),
                                        (view.referrals, printed.referral, "转介单", "接收方回执")):
        view.tabs.setCurrentWidget(tab.parentWidget())
        tab.table.clearSelection()
        assert tab.print_button.isVisible() and tab.print_button.toolTip() == title
        tab.table.selectRow(next(n for n, row in enumerate(tab.model.rows) if row["id"] == record_id))
        assert tab.print_button.isEnabled()
        tab.print_button.click()
        dialog = _ready(qtbot, tab.print_dialog)
        assert dialog.job.title == title and [s.record_id for s in dialog.sheets] == [record_id]
        assert word in _save(qtbot, dialog, tmp_path / f"{title}.pdf")
        dialog.close()
    assert not view.members.print_button.isVisible()  # a member prints on the household's forms


def test_a_ledger_prints_from_the_ledger_dialog(qtbot, chinese_window: AppWindow, tmp_path: Path) -> None:
    window = chinese_window
    ws = window.session.ws
    assert ws is not None
    print_data.fill(ws)
    page = window.main_screen.households
    window.main_screen.go(page)
    ledger = page.export_ledger()
    assert ledger.print_button.text() == "打印…"
    ledger.kind.setCurrentIndex(ledger.kind.findData("notice"))
    dialog = _ready(qtbot, ledger.print_ledger())
    assert dialog.sheets[0].form == "ledger_notice" and not dialog.sheets[0].landscape
    text = _save(qtbot, dialog, tmp_path / "公示名单.pdf")
    assert "梁志刚" in text and "440104" not in text  # a notice shows no ID numbers


def test_a_filtered_list_prints_as_one_batch(qtbot, chinese_window: AppWindow, tmp_path: Path) -> None:
    """What the list pages call: the records' ids, in the list's order, one form each."""
    window = chinese_window
    ws = window.session.ws
    assert ws is not None
    printed = print_data.fill(ws)
    dialog = _ready(qtbot, print_records(window.session, "household_sheet",
                                         [print_data.rid(21), printed.household, print_data.rid(20)], window))
    assert [s.record_id for s in dialog.sheets] == [print_data.rid(21), printed.household, print_data.rid(20)]
    assert dialog.pages == 3 and dialog.suggested_name().startswith("登记表-3份-")
    text = _save(qtbot, dialog, tmp_path / dialog.suggested_name())
    assert text.index("梁志刚") < text.index("黄淑芬") < text.index("周玉兰")
    assert text.count("第1页共1页") == 3  # each household's sheet numbered on its own
