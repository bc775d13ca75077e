"""A photo from the laptop's camera, taken straight into a record (Qt Multimedia).

Qt Multimedia is loaded only when someone asks for the camera: it starts a media backend (FFmpeg)
and, on Linux, PulseAudio's client library, which the app has no other use for. Where it cannot be
loaded, or no camera is attached, the person is told so in one line and adds the photo from a file
instead. The photo never touches the disk unencrypted: the still is held in memory as a JPEG and
handed to the attachment store, which encrypts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ui.qt import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QImage,
    QIODevice,
    QLabel,
    QPixmap,
    QPushButton,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    multimedia,
)
from ui.widgets.field_error import FieldError

if TYPE_CHECKING:
    from ui.qt import QCamera, QCameraDevice

JPEG_QUALITY = 85


@dataclass(frozen=True)
class Cameras:
    """The cameras attached now, or why there are none to offer (a line for the person)."""

    devices: list[QCameraDevice]
    why_none: str = ""


NO_MULTIMEDIA = QT_TRANSLATE_NOOP("Camera", "The camera cannot be used on this computer: add the photo from a file")
NO_CAMERA = QT_TRANSLATE_NOOP("Camera", "No camera found: connect one, or add the photo from a file")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Camera", text)


def cameras() -> Cameras:
    """The attached cameras, loading Qt Multimedia on first use."""
    try:
        media = multimedia()
    except ImportError:  # a bundle or system without Qt Multimedia's libraries
        return Cameras([], _tr(NO_MULTIMEDIA))
    devices = list(media.media_devices.videoInputs())
    if not devices:
        return Cameras([], _tr(NO_CAMERA))
    return Cameras(devices)


def jpeg(image: QImage) -> bytes:
    """The still as JPEG bytes, in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # (PySide6 takes the format as str at run time, while its stubs say bytes)
    if not image.save(buffer, "JPG", JPEG_QUALITY):  # type: ignore[call-overload]
        raise ValueError("the photo could not be encoded")
    buffer.close()
    return bytes(data.data())


class CameraDialog(QDialog):
    """The camera's live picture; Space (or 拍照) takes a still, which is shown to be kept (Enter)
    or taken again. ``photo`` is the kept still as JPEG."""

    def __init__(self, devices: list[QCameraDevice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.media = media = multimedia()

        self.setObjectName("camera")
        self.setWindowTitle(self.tr("Take a photo"))
        self.devices = devices
        self.still: QImage | None = None
        self.photo: bytes | None = None
        self.choice = QComboBox(self)
        self.choice.setObjectName("camera_choice")
        for device in devices:
            self.choice.addItem(device.description())
        self.choice.setVisible(len(devices) > 1)
        self.video = media.video_widget(self)
        self.video.setMinimumSize(480, 360)
        self.picture = QLabel(self)
        self.picture.setObjectName("camera_still")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.video)
        self.stack.addWidget(self.picture)
        self.error = FieldError(self)
        self.shoot = QPushButton(self.tr("&Take photo"), self)
        self.shoot.setObjectName("camera_shoot")
        self.again = QPushButton(self.tr("Take &again"), self)
        self.again.setObjectName("camera_again")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.keep = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.keep.setText(self.tr("Use this photo"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        row = QHBoxLayout()
        row.addWidget(self.shoot)
        row.addWidget(self.again)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choice)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)

        self.session = media.capture_session(self)
        self.capture = media.image_capture(self)
        self.session.setImageCapture(self.capture)
        self.session.setVideoOutput(self.video)
        self.camera: QCamera | None = None
        self.capture.imageCaptured.connect(lambda _id, image: self.take(image))
        self.capture.errorOccurred.connect(lambda _id, _error, text: self._failed(text))
        self.choice.currentIndexChanged.connect(self._start)
        self.shoot.clicked.connect(self._shoot)
        self.again.clicked.connect(self._live)
        self.buttons.accepted.connect(self._keep)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(lambda _result: self._stop())
        self._start(0)
        self._live()

    def _start(self, index: int) -> None:
        self._stop()
        if not 0 <= index < len(self.devices):
            return
        self.camera = self.media.camera(self.devices[index], self)
        self.camera.errorOccurred.connect(lambda _error, text: self._failed(text))
        self.session.setCamera(self.camera)
        self.camera.start()

    def _stop(self) -> None:
        if self.camera is not None:
            self.camera.stop()

    def _failed(self, text: str) -> None:
        self.error.show_error(self.tr("The camera reports: %1").replace("%1", text))

    def _shoot(self) -> None:
        self.error.clear_error()
        if not self.capture.isReadyForCapture():
            self.error.show_error(self.tr("The camera is not ready yet: try again in a moment"))
            return
        self.capture.capture()

    def take(self, image: QImage) -> None:
        """A still arrived from the camera: show it, to keep or take again."""
        if image.isNull():
            self._failed(self.tr("an empty picture"))
            return
        self.still = image
        shown = image.scaled(self.video.size(), Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(QPixmap.fromImage(shown))
        self.stack.setCurrentWidget(self.picture)
        self.shoot.setEnabled(False)
        self.again.setEnabled(True)
        self.keep.setEnabled(True)
        self.keep.setDefault(True)
        self.keep.setFocus()

    def _live(self) -> None:
        self.still = None
        self.stack.setCurrentWidget(self.video)
        self.shoot.setEnabled(True)
        self.again.setEnabled(False)
        self.keep.setEnabled(False)
        self.shoot.setDefault(True)
        self.shoot.setFocus()

    def _keep(self) -> None:
        if self.still is None:
            return
        self.photo = jpeg(self.still)
        self.accept()
