"""Photos and scans belonging to a record, as thumbnails.

Files are encrypted into the workspace's attachment store on the writer thread; thumbnails are
decrypted and scaled on the read pool (QImage is safe off the GUI thread, QPixmap is not) and
exist only in memory.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import Attachment
from caseapp.domain.codec import entity_class
from caseapp.services import records
from caseapp.services.lists import attachments_for
from caseapp.store.workspace import Workspace
from ui.qt import (
    QFileDialog,
    QHBoxLayout,
    QIcon,
    QImage,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPixmap,
    QPushButton,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session, touches
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data

THUMB = 96


@dataclass(frozen=True)
class Thumb:
    id: str
    filename: str
    image: QImage | None


class AttachmentStrip(QWidget):
    loaded = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.owner: tuple[str, str] | None = None
        self.caption = QLabel(self.tr("Photos and scans"), self)
        self.add = QPushButton(self.tr("Add photo or scan…"), self)
        self.add.setObjectName("add_attachment")
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
        top.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        self.add.clicked.connect(self._choose)
        session.changed.connect(self._on_changed)

    def _on_changed(self, entities: frozenset[str]) -> None:
        if touches(entities, frozenset({"attachment"})):
            self.reload()

    def set_owner(self, entity: str, record_id: str) -> None:
        if self.owner != (entity, record_id):
            self.list.clear()
        self.owner = (entity, record_id)
        self.reload()

    def clear(self) -> None:
        self.owner = None
        self.list.clear()

    def reload(self) -> None:
        owner, ws = self.owner, self.session.ws
        if owner is None or ws is None:
            return
        self.session.read(lambda db: _thumbs(ws, db, owner[1]), self._show, self._failed)

    def _show(self, thumbs: list[Thumb]) -> None:
        self.list.clear()
        for thumb in thumbs:
            item = QListWidgetItem(thumb.filename)
            if thumb.image is not None:
                item.setIcon(QIcon(QPixmap.fromImage(thumb.image)))
            item.setData(Qt.ItemDataRole.UserRole, thumb.id)
            self.list.addItem(item)
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.error.show_error(self.session.message(error))

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Add photo or scan"), str(Path.home()),
            self.tr("Images and scans (*.jpg *.jpeg *.png *.gif *.bmp *.pdf);;All files (*)"))
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> None:
        owner, ws = self.owner, self.session.ws
        if owner is None or ws is None:
            return
        self.error.clear_error()
        self.session.write(lambda db: _store(ws, db, owner, path), None, self._failed)


def _store(ws: Workspace, db: DbSession, owner: tuple[str, str], path: Path) -> str:
    data = path.read_bytes()
    digest = ws.attachments.put(data)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    owner_record = records.get(db, entity_class(owner[0]), owner[1])
    return records.create(db, Attachment, {
        "org_code": owner_record.org_code, "owner_entity": owner[0], "owner_id": owner[1], "digest": digest,
        "filename": path.name[:200], "mime_type": mime, "size": len(data),
        "kind": "photo" if mime.startswith("image/") else "form",
    }).id


def _thumbs(ws: Workspace, db: DbSession, owner_id: str) -> list[Thumb]:
    out = []
    for attachment in attachments_for(db, owner_id):
        image: QImage | None = None
        if attachment.mime_type.startswith("image/") and ws.attachments.has(attachment.digest):
            loaded = QImage.fromData(ws.attachments.get(attachment.digest))
            if not loaded.isNull():
                image = loaded.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation)
        out.append(Thumb(attachment.id, attachment.filename, image))
    return out
