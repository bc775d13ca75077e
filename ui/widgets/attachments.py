"""Photos and scans belonging to a record, as thumbnails.

Files are encrypted into the workspace's attachment store on the writer thread; thumbnails are
decrypted and scaled on the read pool (QImage is safe off the GUI thread, QPixmap is not) and
exist only in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from caseapp import refdata
from caseapp.domain import Attachment
from caseapp.services import attachment_files, display, records
from caseapp.services.lists import attachments_for
from caseapp.store.workspace import Workspace
from ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QIcon,
    QImage,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPixmap,
    QPushButton,
    QScrollArea,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session, touches
from ui.widgets import camera
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data

THUMB = 96


@dataclass(frozen=True)
class Thumb:
    id: str
    filename: str
    image: QImage | None
    kind: str = ""
    caption: str = ""
    mime_type: str = ""


class LabelDialog(QDialog):
    """What a file is (身份证, 户口本, 收入证明, 现场照片 …) and a caption, asked as it is added."""

    def __init__(self, lang: str, filename: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachment_label")
        self.setWindowTitle(self.tr("Add: %1").replace("%1", filename))
        self.kind = QComboBox(self)
        self.kind.setObjectName("attachment_kind")
        for code in refdata.dictionary("attachment_kind"):
            self.kind.addItem(display.code_name("attachment_kind", code, lang), code)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.caption = QLineEdit(self)
        self.caption.setObjectName("attachment_caption")
        self.caption.setMaxLength(200)
        self.caption.setPlaceholderText(self.tr("e.g. front and back, page 2"))
        form = QFormLayout()
        form.addRow(self.tr("What it is"), self.kind)
        form.addRow(self.tr("Caption"), self.caption)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str, str]:
        return str(self.kind.currentData()), self.caption.text().strip()


class Viewer(QDialog):
    """One photo or scan, full size (scrolled), or fitted to the screen; Esc closes it."""

    def __init__(self, title: str, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachment_viewer")
        self.setWindowTitle(title)
        self.image = image
        self.picture = QLabel(self)
        self.picture.setObjectName("attachment_picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setPixmap(QPixmap.fromImage(image))
        scroll = QScrollArea(self)
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        limit = QSize(screen.width() * 9 // 10, screen.height() * 9 // 10) if screen is not None else QSize(1200, 800)
        self.resize(image.size().boundedTo(limit).expandedTo(QSize(320, 240)) + QSize(40, 40))


class AttachmentStrip(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.owner: tuple[str, str] | None = None
        self.thumbs: dict[str, Thumb] = {}
        self.viewer: Viewer | None = None
        self.caption = QLabel(self.tr("Photos and scans"), self)
        self.add = QPushButton(self.tr("Add photo or scan…"), self)
        self.add.setObjectName("add_attachment")
        self.shoot = QPushButton(self.tr("Take photo…"), self)
        self.shoot.setObjectName("take_photo")
        self.shoot.setToolTip(self.tr("From this computer's camera, where it has one"))
        self.camera_dialog: camera.CameraDialog | None = None
        self.label_dialog: LabelDialog | None = None
        self.open = QPushButton(self.tr("View"), self)
        self.open.setObjectName("open_attachment")
        self.save = QPushButton(self.tr("Save a copy…"), self)
        self.save.setObjectName("save_attachment")
        self.remove = QPushButton(self.tr("Remove…"), self)
        self.remove.setObjectName("remove_attachment")
        self.list = QListWidget(self)
        self.list.setObjectName("attachments")
        mark_data(self.list)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMinimumHeight(THUMB + 40)
        self.error = FieldError(self)
        top = QHBoxLayout()
        top.addWidget(self.caption)
        top.addStretch(1)
        for button in (self.add, self.shoot, self.open, self.save, self.remove):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        self.add.clicked.connect(self._choose)
        self.shoot.clicked.connect(self.take_photo)
        self.open.clicked.connect(self.view_current)
        self.save.clicked.connect(self._save_as)
        self.remove.clicked.connect(self._remove)
        self.list.itemActivated.connect(lambda _item: self.view_current())  # double-click or Enter
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        session.changed.connect(self._on_changed)
        self._enable()

    def _on_changed(self, entities: frozenset[str]) -> None:
        if touches(entities, frozenset({"attachment"})):
            self.reload()

    def _enable(self) -> None:
        chosen = self.current() is not None
        for button in (self.open, self.save, self.remove):
            button.setEnabled(chosen)

    def current(self) -> Thumb | None:
        item = self.list.currentItem()
        return self.thumbs.get(str(item.data(Qt.ItemDataRole.UserRole))) if item is not None else None

    def set_owner(self, entity: str, record_id: str) -> None:
        if self.owner != (entity, record_id):
            self.list.clear()
        self.owner = (entity, record_id)
        self.reload()

    def clear(self) -> None:
        self.owner = None
        self.list.clear()
        self.thumbs = {}
        self._enable()

    def reload(self) -> None:
        owner, ws = self.owner, self.session.ws
        if owner is None or ws is None:
            return
        lang = self.session.core_lang
        self.session.read(lambda db: _thumbs(ws, db, owner[1], lang), self._show, self._failed)

    def _show(self, thumbs: list[Thumb]) -> None:
        chosen = self.current()
        self.list.clear()
        self.thumbs = {t.id: t for t in thumbs}
        for thumb in thumbs:
            item = QListWidgetItem(f"{thumb.kind}\n{thumb.caption or thumb.filename}")
            item.setToolTip(thumb.filename)
            if thumb.image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(thumb.image)))
            item.setData(Qt.ItemDataRole.UserRole, thumb.id)
            self.list.addItem(item)
            if chosen is not None and thumb.id == chosen.id:  # a reload keeps what was selected
                self.list.setCurrentItem(item)
        self._enable()
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.error.show_error(self.session.message(error))

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Add photo or scan"), str(Path.home()),
            self.tr("Images and scans (*.jpg *.jpeg *.png *.gif *.bmp *.pdf);;All files (*)"))
        if not path:
            return
        chosen = Path(path)
        dialog = LabelDialog(self.session.core_lang, chosen.name,
                             attachment_files.default_kind(attachment_files.mime_of(chosen.name)), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            kind, caption = dialog.chosen()
            self.add_file(chosen, kind=kind, caption=caption)

    def take_photo(self) -> camera.CameraDialog | None:
        """The camera's picture, to take a photo into this record; a line saying why where there is no
        camera (Qt Multimedia is loaded only now)."""
        if self.owner is None:
            return None
        self.error.clear_error()
        found = camera.cameras()
        if not found.devices:
            self.error.show_error(found.why_none)
            return None
        self.camera_dialog = dialog = camera.CameraDialog(found.devices, self)
        dialog.accepted.connect(lambda: self.photo_taken(dialog.photo) if dialog.photo else None)
        dialog.open()
        return dialog

    def photo_taken(self, photo: bytes) -> None:
        """A photo from the camera: labelled (a photo on site, unless the person says otherwise) and added."""
        name = self.tr("photo-%1.jpg").replace("%1", f"{dt.datetime.now():%Y%m%d-%H%M%S}")
        self.label_dialog = dialog = LabelDialog(self.session.core_lang, name, "photo", self)
        dialog.accepted.connect(lambda: self.add_bytes(photo, name, kind=dialog.chosen()[0],
                                                       caption=dialog.chosen()[1]))
        dialog.open()

    def add_file(self, path: Path, *, kind: str | None = None, caption: str = "") -> None:
        self._add(lambda: path.read_bytes(), path.name, kind=kind, caption=caption)

    def add_bytes(self, data: bytes, filename: str, *, kind: str | None = None, caption: str = "") -> None:
        self._add(lambda: data, filename, kind=kind, caption=caption)

    def _add(self, read: Callable[[], bytes], filename: str, *, kind: str | None, caption: str) -> None:
        owner, ws = self.owner, self.session.ws
        if owner is None or ws is None:
            return
        self.error.clear_error()
        self.session.write(lambda db: attachment_files.add(ws, db, owner, read(), filename, kind=kind,
                                                           caption=caption).id, None, self._failed)

    def view_current(self) -> None:
        """The selected file full size (a picture), or a line saying to save a copy (a PDF …)."""
        thumb, ws = self.current(), self.session.ws
        if thumb is None or ws is None:
            return
        if not thumb.mime_type.startswith("image/"):
            self.error.show_error(self.tr("%1 is not a picture: save a copy to open it with another program")
                                  .replace("%1", thumb.filename))
            return

        def read(db: DbSession) -> QImage:  # decoded on the read pool: QImage is safe there
            return QImage.fromData(attachment_files.content(ws, records.get(db, Attachment, thumb.id)))

        def shown(image: QImage) -> None:
            self.viewer = Viewer(f"{thumb.kind} · {thumb.caption or thumb.filename}", image, self)
            self.viewer.open()

        self.session.read(read, shown, self._failed)

    def _save_as(self) -> None:
        thumb = self.current()
        if thumb is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save a copy"), str(Path.home() / thumb.filename))
        if path:
            self.save_copy(Path(path))

    def save_copy(self, target: Path) -> None:
        """Write the selected file, decrypted, to ``target`` (noted in the audit trail)."""
        thumb = self.current()
        if thumb is None:
            return
        self.error.clear_error()
        self.session.with_workspace(lambda ws: attachment_files.save_copy(ws, thumb.id, target), None, self._failed)

    def _remove(self) -> None:
        thumb = self.current()
        if thumb is None:
            return
        answer = QMessageBox.question(self, self.tr("Remove"), self.tr(
            "Take %1 off this record? It stays in the record's history.").replace("%1", thumb.filename))
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_current()

    def remove_current(self) -> None:
        thumb = self.current()
        if thumb is not None:
            self.session.write(lambda db: attachment_files.remove(db, thumb.id).id, None, self._failed)


def _thumbs(ws: Workspace, db: DbSession, owner_id: str, lang: str) -> list[Thumb]:
    out = []
    for attachment in attachments_for(db, owner_id):
        image: QImage | None = None
        if attachment.mime_type.startswith("image/") and ws.attachments.has(attachment.digest):
            loaded = QImage.fromData(ws.attachments.get(attachment.digest))
            if not loaded.isNull():
                image = loaded.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)
        out.append(Thumb(attachment.id, attachment.filename, image,
                         display.code_name("attachment_kind", attachment.kind, lang), attachment.caption,
                         attachment.mime_type))
    return out
