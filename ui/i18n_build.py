"""Build the UI's translations with Qt Linguist's tools (shipped in the PySide6 wheel).

    python -m ui.i18n_build             compile ui/i18n/*.ts into .qm (``make translations``)
    python -m ui.i18n_build --update    re-scan ui/ for tr() strings into the .ts sources, keeping
                                        existing translations (a developer step; commit the result)

Besides the real languages it writes a pseudo-locale (``caseapp_pseudo.qm``): every string wrapped
and stretched by about 40 %, the way German or long Chinese phrasings grow, so a layout that clips
text shows it at once (``CASEAPP_LANG=pseudo caseapp``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from importlib.util import find_spec
from pathlib import Path

UI = Path(__file__).resolve().parent
I18N = UI / "i18n"
LANGUAGES = ("zh_CN", "en")
#: English is the source language: its catalogue holds only the plural forms ("1 household",
#: "2 households") that a source string with %n cannot express by itself.
PLURAL_ONLY = frozenset({"en"})
PSEUDO = "pseudo"


def tool(name: str) -> Path:
    # Locate the wheel without importing Qt here: every Qt import goes through ui/qt.py.
    spec = find_spec("PySide6")
    if spec is None or spec.origin is None:
        raise SystemExit("PySide6 is not installed")
    path = Path(spec.origin).parent / name
    if not path.exists():
        raise SystemExit(f"{name} not found in the PySide6 wheel at {path.parent}")
    return path


def python_sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p.name != "i18n_build.py")


def ts_path(lang: str) -> Path:
    return I18N / f"caseapp_{lang}.ts"


def update(ts: Path, *, keep_obsolete: bool = False, plural_only: bool = False) -> None:
    """Extract every tr()/translate()/QT_TRANSLATE_NOOP string into ``ts`` (merging translations)."""
    args = [str(tool("lupdate")), *map(str, python_sources()), "-ts", str(ts), "-locations", "none"]
    if not keep_obsolete:
        args.append("-no-obsolete")
    if plural_only:
        args.append("-pluralonly")
    subprocess.run(args, check=True, capture_output=True, text=True)


def release(ts: Path, qm: Path) -> None:
    subprocess.run([str(tool("lrelease")), str(ts), "-qm", str(qm)], check=True, capture_output=True, text=True)


def pseudo_text(source: str) -> str:
    """Longer text with the placeholders intact, bracketed so clipped ends are visible."""
    if not source:
        return source
    padding = "~" * max(2, len(source) * 2 // 5)
    return f"［{source}{padding}］"


def write_pseudo(reference: Path, target: Path) -> None:
    tree = ET.parse(reference)
    root = tree.getroot()
    root.set("language", "en")
    for message in root.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            continue
        translation.attrib.pop("type", None)
        forms = translation.findall("numerusform")
        if forms:
            # English plural rules: two forms, whatever the reference language had.
            for form in forms:
                translation.remove(form)
            for _ in range(2):
                ET.SubElement(translation, "numerusform").text = pseudo_text(source)
            translation.text = None
        else:
            translation.text = pseudo_text(source)
    tree.write(target, encoding="utf-8", xml_declaration=True)


def build() -> list[Path]:
    built = []
    for lang in LANGUAGES:
        qm = I18N / f"caseapp_{lang}.qm"
        release(ts_path(lang), qm)
        built.append(qm)
    with tempfile.TemporaryDirectory() as tmp:
        pseudo_ts = Path(tmp) / f"caseapp_{PSEUDO}.ts"
        write_pseudo(ts_path(LANGUAGES[0]), pseudo_ts)
        qm = I18N / f"caseapp_{PSEUDO}.qm"
        release(pseudo_ts, qm)
        built.append(qm)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.i18n_build", description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="re-scan the sources into the .ts files first")
    args = parser.parse_args(argv)
    if args.update:
        for lang in LANGUAGES:
            update(ts_path(lang), plural_only=lang in PLURAL_ONLY)
            print(f"updated {ts_path(lang).relative_to(UI.parent)}")
    for qm in build():
        print(f"built {qm.relative_to(UI.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
