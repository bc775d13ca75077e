"""Photos and scans on a household, in Chinese: labelled as added, shown full size, saved out as a
copy, removed; Enter on a thumbnail opens it."""

from __future__ import annotations

from pathlib import Path

from caseapp.domain import Household
from caseapp.services import records
from ui.qt import QColor, QImage, Qt
from ui.window import AppWindow

GRID = "44010400100701"


def test_a_photo_is_labelled_viewed_saved_and_removed(qtbot, chinese_window: AppWindow, tmp_path: Path) -> None:
    window = chinese_window
    ws = window.session.ws
    assert ws is not None
    with ws.write() as s:
        hid = records.create(s, Household, {"org_code": GRID, "address": "龙庆北 12 号", "head_name": "陈秀英"}).id
    main = window.main_screen
    main.open_household(hid)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and view.bundle.household["id"] == hid, timeout=5_000)
    view.tabs.setCurrentWidget(view.overview)
    strip = view.overview.attachments
    assert not strip.open.isEnabled() and not strip.save.isEnabled() and not strip.remove.isEnabled()

    picture = tmp_path / "身份证.png"
    image = QImage(900, 560, QImage.Format.Format_RGB32)
    image.fill(QColor("#36c"))
    assert image.save(str(picture))
    strip.add_file(picture, kind="id_scan", caption="正反面")
    qtbot.waitUntil(lambda: strip.list.count() == 1, timeout=5_000)
    assert strip.list.item(0).text() == "身份证\n正反面"

    strip.list.setFocus()
    strip.list.setCurrentRow(0)
    assert strip.open.isEnabled() and strip.save.isEnabled() and strip.remove.isEnabled()
    qtbot.keyClick(strip.list, Qt.Key.Key_Return)  # Enter opens it, full size
    qtbot.waitUntil(lambda: strip.viewer is not None and strip.viewer.isVisible(), timeout=5_000)
    viewer = strip.viewer
    assert viewer is not None and viewer.windowTitle() == "身份证 · 正反面"
    assert viewer.picture.pixmap().size() == image.size()
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not viewer.isVisible(), timeout=5_000)

    copy = tmp_path / "copy.png"
    assert strip.current() is not None
    strip.save_copy(copy)
    qtbot.waitUntil(lambda: copy.exists() or strip.error.isVisibleTo(strip), timeout=5_000)
    assert not strip.error.isVisibleTo(strip), strip.error.text()
    assert copy.read_bytes() == picture.read_bytes()

    strip.remove_current()
    qtbot.waitUntil(lambda: strip.list.count() == 0, timeout=5_000)
    assert not strip.open.isEnabled()
