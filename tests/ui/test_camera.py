"""A photo from the camera, in Chinese: where this computer has no camera the person is told so in one
line; a still the camera hands over is shown, kept with Enter, labelled 现场照片 and stored encrypted
in the record as a JPEG."""

from __future__ import annotations

from caseapp.domain import Attachment, Household
from caseapp.services import attachment_files, records
from tests.ui.conftest import type_text
from ui.qt import QColor, QImage, Qt
from ui.widgets import camera
from ui.window import AppWindow

GRID = "44010400100701"


def _strip(qtbot, window: AppWindow):  # type: ignore[no-untyped-def]
    ws = window.session.ws
    assert ws is not None
    with ws.write() as s:
        hid = records.create(s, Household, {"org_code": GRID, "address": "龙庆北 12 号", "head_name": "陈秀英"}).id
    main = window.main_screen
    main.open_household(hid)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None and view.bundle.household["id"] == hid, timeout=5_000)
    view.tabs.setCurrentWidget(view.overview)
    return view.overview.attachments, hid


def test_the_camera_button_says_what_this_computer_has(qtbot, chinese_window: AppWindow) -> None:
    strip, _hid = _strip(qtbot, chinese_window)
    assert strip.shoot.text() == "拍照…"
    found = camera.cameras()
    dialog = strip.take_photo()
    if found.devices:  # a computer with a camera: its live picture opens
        assert dialog is not None and dialog.isVisible()
        dialog.reject()
    else:  # (this test machine has none)
        assert dialog is None
        assert strip.error.isVisibleTo(strip)
        assert strip.error.text() == found.why_none
        assert "摄像头" in found.why_none and "从文件添加" in found.why_none
    assert strip.list.count() == 0


def test_a_still_from_the_camera_is_kept_labelled_and_stored(qtbot, chinese_window: AppWindow) -> None:
    strip, hid = _strip(qtbot, chinese_window)
    dialog = camera.CameraDialog([], strip)  # (no camera here: the still is handed over as the camera would)
    qtbot.addWidget(dialog)
    dialog.accepted.connect(lambda: strip.photo_taken(dialog.photo) if dialog.photo else None)
    dialog.show()
    assert not dialog.keep.isEnabled()  # nothing to keep before a photo is taken
    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a7"))
    dialog.take(image)
    assert dialog.keep.isEnabled() and dialog.again.isEnabled() and not dialog.shoot.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter keeps it
    qtbot.waitUntil(lambda: strip.label_dialog is not None and strip.label_dialog.isVisible(), timeout=5_000)
    label = strip.label_dialog
    assert label is not None and label.kind.currentText() == "现场照片"
    type_text(label.caption, "厨房漏水")
    qtbot.keyClick(label.caption, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: strip.list.count() == 1, timeout=5_000)
    assert strip.list.item(0).text() == "现场照片\n厨房漏水"

    ws = chinese_window.session.ws
    assert ws is not None
    with ws.read() as s:
        stored = s.query(Attachment).filter(Attachment.owner_id == hid).one()
        assert (stored.kind, stored.mime_type) == ("photo", "image/jpeg")
        assert stored.filename.startswith("照片-") and stored.filename.endswith(".jpg")
        data = attachment_files.content(ws, stored)
    assert data[:2] == b"\xff\xd8"  # a JPEG
    back = QImage.fromData(data)
    assert back.size() == image.size()
    assert QColor(back.pixel(320, 240)).green() > 150  # the picture itself, not an empty frame


def test_taking_again_drops_the_still(qtbot, chinese_window: AppWindow) -> None:
    strip, _hid = _strip(qtbot, chinese_window)
    dialog = camera.CameraDialog([], strip)
    qtbot.addWidget(dialog)
    dialog.show()
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#c33"))
    dialog.take(image)
    dialog.again.click()
    assert dialog.still is None and not dialog.keep.isEnabled() and dialog.shoot.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.photo is None and not dialog.isVisible()
