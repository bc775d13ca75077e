"""Every PySide6 name the UI uses, imported in one place.

Keeping Qt behind one module means a Qt upgrade (or a binding swap) touches one file, and a grep
for ``PySide6`` outside this file finds mistakes. Names are listed explicitly, never star-imported,
so readers and linters can see where each one comes from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QEventLoop,
    QIODevice,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QLoggingCategory,
    QMarginsF,
    QMessageLogContext,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    QStringListModel,
    Qt,
    QThread,
    QTime,
    QTimer,
    QtMsgType,
    QTranslator,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QImage,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPixmap,
    QShortcut,
    QShowEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QCamera, QCameraDevice, QImageCapture, QMediaCaptureSession, QMediaDevices
    from PySide6.QtMultimediaWidgets import QVideoWidget


class Multimedia(NamedTuple):
    """Qt Multimedia's classes the camera uses."""

    camera: type[QCamera]
    image_capture: type[QImageCapture]
    capture_session: type[QMediaCaptureSession]
    media_devices: type[QMediaDevices]
    video_widget: type[QVideoWidget]


def multimedia() -> Multimedia:
    """Qt Multimedia, loaded on first use: it starts a media backend (FFmpeg) and, on Linux, loads
    PulseAudio's client library, which nothing else needs. ImportError where they are missing."""
    # (it looks for PipeWire first and says so on stderr when it is missing: PulseAudio serves)
    QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver=false")
    from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices
    from PySide6.QtMultimediaWidgets import QVideoWidget

    return Multimedia(QCamera, QImageCapture, QMediaCaptureSession, QMediaDevices, QVideoWidget)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context`` without translating it now.

    Qt's own version is typed as returning ``object``; this one keeps ``str`` for mypy. pyside6-lupdate
    only reads the call's name and literal arguments, so it extracts these calls all the same.
    """
    return source


__all__ = [
    "PYSIDE_VERSION",
    "QT_TRANSLATE_NOOP",
    "Multimedia",
    "QAbstractButton",
    "QAbstractItemModel",
    "QAbstractItemView",
    "QAbstractPrintDialog",
    "QAbstractSpinBox",
    "QAbstractTableModel",
    "QAbstractTextDocumentLayout",
    "QAction",
    "QApplication",
    "QBarCategoryAxis",
    "QBarSeries",
    "QBarSet",
    "QBuffer",
    "QButtonGroup",
    "QByteArray",
    "QCalendarWidget",
    "QCamera",
    "QCameraDevice",
    "QChart",
    "QChartView",
    "QCheckBox",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QCoreApplication",
    "QDate",
    "QDateEdit",
    "QDateTime",
    "QDateTimeEdit",
    "QDialog",
    "QDialogButtonBox",
    "QDoubleSpinBox",
    "QEvent",
    "QEventLoop",
    "QFileDialog",
    "QFont",
    "QFontDatabase",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QIODevice",
    "QIcon",
    "QImage",
    "QInputDialog",
    "QInputMethodEvent",
    "QItemSelectionModel",
    "QKeyEvent",
    "QKeySequence",
    "QLabel",
    "QLayout",
    "QLibraryInfo",
    "QLineEdit",
    "QLineSeries",
    "QListView",
    "QListWidget",
    "QListWidgetItem",
    "QLocale",
    "QLoggingCategory",
    "QMainWindow",
    "QMarginsF",
    "QMenu",
    "QMessageBox",
    "QMessageLogContext",
    "QModelIndex",
    "QMouseEvent",
    "QNetworkInformation",
    "QObject",
    "QPageLayout",
    "QPageSize",
    "QPainter",
    "QPalette",
    "QPdfWriter",
    "QPersistentModelIndex",
    "QPixmap",
    "QPlainTextEdit",
    "QPoint",
    "QPrintDialog",
    "QPrintPreviewWidget",
    "QPrinter",
    "QPrinterInfo",
    "QProgressBar",
    "QPushButton",
    "QRadioButton",
    "QRect",
    "QRectF",
    "QScrollArea",
    "QShortcut",
    "QShowEvent",
    "QSize",
    "QSizeF",
    "QSizePolicy",
    "QSpinBox",
    "QSplitter",
    "QStackedWidget",
    "QStatusBar",
    "QStringListModel",
    "QTabWidget",
    "QTableView",
    "QTextBlock",
    "QTextBlockFormat",
    "QTextCursor",
    "QTextDocument",
    "QTextFormat",
    "QThread",
    "QTime",
    "QTimer",
    "QToolButton",
    "QTranslator",
    "QUrl",
    "QVBoxLayout",
    "QValueAxis",
    "QWidget",
    "Qt",
    "QtMsgType",
    "Signal",
    "Slot",
    "multimedia",
    "qInstallMessageHandler",
]
