"""Every user-visible string is translatable and translated.

* The committed .ts sources are current (nothing tr() says is missing from them), every Chinese
  translation is finished and non-empty, and keeps the source's placeholders (%1, %n).
* At run time, in English, every text on every screen is a .ts source (or data: names, addresses,
  reference-dictionary words and core messages, which caseapp translates itself).
* In Chinese, no English source text is left on screen; switching language in Settings works.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseapp import refdata
from caseapp.domain import ENTITIES, ElderProfile, GridEvent, Household, Member, Referral
from caseapp.domain.fields import all_facts, entity_label, field_label
from caseapp.messages import CATALOGUE
from caseapp.services import records
from tests.ui.conftest import ORG, make_session, unlock
from ui import i18n_build, language
from ui.forms.assign_task import AssignTaskDialog, CompleteTaskDialog
from ui.forms.dialog import RecordDialog
from ui.forms.specs import SPECS
from ui.prefs import Prefs
from ui.qt import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QModelIndex,
    Qt,
    QTableView,
    QTabWidget,
    QWidget,
)
from ui.tasks import TaskManager
from ui.widgets.marks import is_data
from ui.window import AppWindow

ZH_TS = i18n_build.ts_path("zh_CN")
PLACEHOLDER = re.compile(r"%(?:\d+|n)")
#: Shown on screen but not language: a URL scheme as an input hint.
NOT_WORDING = frozenset({"https://"})


def messages(path: Path) -> Iterator[tuple[str, str, ET.Element]]:
    for context in ET.parse(path).getroot().iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name") or "", message.findtext("source") or "", message


def test_chinese_translations_are_complete_and_keep_placeholders() -> None:
    problems = []
    for context, source, message in messages(ZH_TS):
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.findall("numerusform")] or [translation.text or ""]
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(f.strip() for f in forms):
            problems.append(f"{context}: {source!r} has no finished translation")
            continue
        for form in forms:
            if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{context}: {source!r} → {form!r} changes the placeholders")
    assert not problems, "\n".join(problems)


def test_ts_sources_are_current(tmp_path: Path) -> None:
    """Running lupdate over ui/ finds no string the committed .ts lacks (run
    ``python -m ui.i18n_build --update`` and translate the new ones)."""
    scratch = tmp_path / "check.ts"
    shutil.copy(ZH_TS, scratch)
    before = {(c, s) for c, s, _ in messages(scratch)}
    i18n_build.update(scratch)
    after = {(c, s) for c, s, _ in messages(scratch)}
    assert after - before == set(), f"strings missing from {ZH_TS.name}: {sorted(after - before)}"
    assert before - after == set(), f"strings no longer used, remove them: {sorted(before - after)}"


def test_qm_builds(tmp_path: Path) -> None:
    target = tmp_path / "zh.qm"
    i18n_build.release(ZH_TS, target)
    assert target.stat().st_size > 1000
    assert subprocess.run([str(i18n_build.tool("lrelease")), "-version"], capture_output=True).returncode == 0


# -- at run time ----------------------------------------------------------------------------------

def _sources() -> tuple[set[str], list[re.Pattern[str]]]:
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for _context, source, _message in messages(ZH_TS):
        if PLACEHOLDER.search(source):
            patterns.append(re.compile("^" + PLACEHOLDER.sub(".+", re.escape(source).replace("%", "%")) + "$"))
        else:
            plain.add(source.replace("&", ""))  # as shown, a mnemonic's & aside ("Move &out…")
    for numerus in messages(i18n_build.ts_path("en")):
        for form in numerus[2].iter("numerusform"):
            patterns.append(re.compile("^" + re.escape(form.text or "").replace("%n", r"\d+") + "$"))
    return plain, patterns


def _core_texts(lang: str) -> set[str]:
    """Words the core translates itself: reference dictionaries, messages, and the labels every
    record type and field declares on its model."""
    texts: set[str] = set()
    for name in refdata.DICTIONARIES:
        texts.update(entry[lang] for entry in refdata.dictionary(name).values())
    texts.update(CATALOGUE[lang].values())
    for cls in ENTITIES.values():
        texts.add(entity_label(cls, lang))
        texts.update(field_label(cls, name, lang) for name in all_facts(cls))
    return texts


def _data_texts() -> set[str]:
    return set(language.LANGUAGES.values()) | _core_texts("en")


def _inside_data(widget: QWidget) -> bool:
    while widget is not None:
        if is_data(widget):
            return True
        widget = widget.parentWidget()
    return False


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every piece of UI wording under ``root`` that is showing."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        where = f"{type(widget).__name__}#{widget.objectName()}"
        if isinstance(widget, QTableView):
            model = widget.model()
            if model is not None:
                for column in range(model.columnCount(QModelIndex())):
                    found.append((where + " header", str(model.headerData(column, Qt.Orientation.Horizontal))))
        if _inside_data(widget):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            found.append((where, widget.text()))
        if isinstance(widget, QGroupBox):
            found.append((where, widget.title()))
        if isinstance(widget, QLineEdit):
            found.append((where + " placeholder", widget.placeholderText()))
        if isinstance(widget, QTabWidget):
            found += [(where + " tab", widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, QListWidget):
            found += [(where + " item", widget.item(i).text()) for i in range(widget.count())]
        if isinstance(widget, QComboBox) and not widget.property("caseapp_choices"):
            found += [(where + " item", widget.itemText(i)) for i in range(widget.count())]
    return [(where, text) for where, text in found
            if text and text not in NOT_WORDING and re.search(r"[A-Za-z\u4e00-\u9fff]", text)]


def untranslatable(texts: list[tuple[str, str]]) -> list[str]:
    plain, patterns = _sources()
    data = _data_texts()
    bad = []
    for where, text in texts:
        core = text.removesuffix(" *").replace("&", "")
        if core in plain or core in data or any(p.match(core) for p in patterns):
            continue
        bad.append(f"{where}: {text!r}")
    return bad


@pytest.fixture
def populated(qtbot, existing: Path, tasks: TaskManager, prefs: Prefs) -> Iterator[AppWindow]:
    window = AppWindow(make_session(existing, tasks, prefs.language), prefs)
    qtbot.addWidget(window)
    window.show()
    unlock(qtbot, window)
    ws = window.session.ws
    assert ws is not None
    with ws.write() as db:
        household = records.create(db, Household, {"org_code": ORG, "head_name": "周玉兰", "address": "豪贤路 5 号"})
        member = records.create(db, Member, {"org_code": ORG, "household_id": household.id, "name": "周玉兰",
                                             "id_number": "11010519491231002X"})
        records.create(db, ElderProfile, {"org_code": ORG, "household_id": household.id, "member_id": member.id,
                                          "risk_tier": "high"})
        records.create(db, GridEvent, {"org_code": ORG, "title": "楼道堆物", "category": "02",
                                       "occurred_at": "2024-05-01T08:00:00Z", "household_id": household.id})
        records.create(db, Referral, {"org_code": ORG, "client_name": "周玉兰", "from_org": "居委会",
                                      "to_org": "家综", "household_id": household.id})
    window.session.changed.emit(frozenset({"*"}))
    yield window
    window.session.close()


def tour(qtbot, window: AppWindow) -> list[tuple[str, str]]:
    """Visit every page, every household tab and every record form; collect what is on screen."""
    main = window.main_screen
    texts: list[tuple[str, str]] = []
    for page in main.pages:
        main.go(page)
        qtbot.wait(50)
        texts += visible_texts(window)
    main.go(main.households)
    qtbot.waitUntil(lambda: len(main.households.model.rows) == 1, timeout=5_000)
    main.households.show_household(main.households.model.rows[0].id)
    view = main.households.view
    qtbot.waitUntil(lambda: view.bundle is not None, timeout=5_000)
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        for table in view.tabs.currentWidget().findChildren(QTableView):
            if table.model() is not None and table.model().rowCount(QModelIndex()):
                table.selectRow(0)
        texts += visible_texts(window)
    for entity in SPECS:
        dialog = RecordDialog(window.session, entity, members=view.bundle.members() if view.bundle else [],
                              parent=window)
        dialog.show()
        texts += [(f"{entity} form: {w}", t) for w, t in visible_texts(dialog)]
        dialog.close()
    task_dialogs = (AssignTaskDialog(window.session, window),
                    CompleteTaskDialog(window.session.core_lang, "周玉兰", window))
    for made in task_dialogs:
        made.show()
        qtbot.wait(50)
        texts += [(f"{type(made).__name__}: {w}", t) for w, t in visible_texts(made)]
        made.close()
    window.lock()
    texts += visible_texts(window)
    return texts


def test_every_visible_string_is_a_ts_source_in_english(qtbot, populated: AppWindow, english: None) -> None:
    texts = tour(qtbot, populated)
    assert len(texts) > 300
    bad = untranslatable(texts)
    assert not bad, "not translatable (wrap in tr() and run ui.i18n_build --update):\n" + "\n".join(sorted(set(bad)))


@pytest.fixture
def chinese(qapp: object, prefs: Prefs) -> Iterator[None]:
    assert language.install(language.ZH), "run `make translations` first"
    prefs.language = language.ZH
    yield
    language.install(language.EN)


def test_no_english_left_in_chinese(qtbot, chinese: None, populated: AppWindow) -> None:
    plain, _patterns = _sources()
    english = (plain | _core_texts("en")) - _core_texts("zh")
    texts = tour(qtbot, populated)
    left = [f"{where}: {text!r}" for where, text in texts
            if text.removesuffix(" *") in english and re.search("[A-Za-z]{3}", text)]
    assert not left, "shown in English in the Chinese UI:\n" + "\n".join(sorted(set(left)))
    assert populated.main_screen.nav.item(0).text() == "今日工作"


def test_switch_language_in_settings(qtbot, window: AppWindow) -> None:
    main = window.main_screen
    main.go(main.settings)
    settings = main.settings
    settings.language.setCurrentIndex(settings.language.findData(language.ZH))
    settings.save.click()
    try:
        qtbot.waitUntil(lambda: window.main_screen is not main, timeout=5_000)
        assert window.main_screen.nav.item(0).text() == "今日工作"
        assert window.main_screen.current_page() is window.main_screen.settings
        assert window.prefs.language == language.ZH and Prefs.load(window.prefs.path).language == language.ZH
        assert QApplication.translate("UnlockScreen", "Unlock") == "解锁"
    finally:
        language.install(language.EN)
