"""Choosing and installing the UI language.

The UI's own strings are translated by Qt (``tr()`` → .ts → .qm). Messages from the core (validation
errors, reference dictionaries) are translated by ``caseapp.messages`` and ``caseapp.refdata``, which
know only "zh" and "en"; ``core_lang()`` maps the UI language onto them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

ZH = "zh_CN"
EN = "en"
# Each language named in itself: the language menu must be readable whatever the current language.
LANGUAGES: dict[str, str] = {ZH: "中文（简体）", EN: "English"}

_installed: list[QTranslator] = []

# Strings of Qt's own dialogs that Qt's Chinese catalogue (qtbase_zh_CN) leaves in English. They are
# translated in our catalogue, under Qt's context, and ours is asked first; the test tour of the file
# dialog (tests/ui/test_trust.py) finds any that a Qt upgrade leaves out again.
QT_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)


def system_language() -> str:
    """Chinese when the system locale is Chinese (any script or region), English otherwise."""
    return ZH if QLocale.system().language() == QLocale.Language.Chinese else EN


def resolve(preference: str | None) -> str:
    return preference if preference in LANGUAGES else system_language()


def core_lang(lang: str) -> str:
    return "zh" if lang.startswith("zh") else "en"


def qm_path(lang: str) -> Path:
    return Path(str(resources.files("ui.i18n").joinpath(f"caseapp_{lang}.qm")))


def install(lang: str) -> bool:
    """Replace the installed translators with ``lang``'s. Returns False when the compiled catalogue
    is missing (run ``make translations``)."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing translations")
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    ours = QTranslator(app)
    if not ours.load(str(qm_path(lang))):
        return False
    if lang == EN:
        # Only plural forms: English is the source language of every other string.
        QCoreApplication.installTranslator(ours)
        _installed.append(ours)
        return True
    # Qt's own strings (context menus of line edits, file dialogs) come from Qt's catalogue.
    qt_own = QTranslator(app)
    if qt_own.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        QCoreApplication.installTranslator(qt_own)
        _installed.append(qt_own)
    QCoreApplication.installTranslator(ours)
    _installed.append(ours)
    return True
