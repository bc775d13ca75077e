"""Architecture rules: the core imports neither Qt nor HTTP; sync never imports Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")
HTTP = ("requests", "httpx", "urllib3", "fastapi", "uvicorn", "starlette", "http.client", "aiohttp")


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(package: str, banned: tuple[str, ...]) -> list[str]:
    return sorted(f"{file}: {name}" for file, names in imported_modules(package).items() for name in names
                  if any(name == b or name.startswith(b + ".") for b in banned))


def test_core_imports_neither_qt_nor_http() -> None:
    assert offenders("caseapp", QT + HTTP) == []


def test_sync_does_not_import_qt() -> None:
    assert offenders("sync", QT) == []


def test_importing_the_core_loads_no_qt_or_http_at_runtime() -> None:
    code = (
        "import sys, pkgutil, importlib, caseapp\n"
        "for m in pkgutil.walk_packages(caseapp.__path__, 'caseapp.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {[*QT, 'requests', 'httpx', 'fastapi']!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_one_ui_module_imports_pyside6() -> None:
    importers = sorted({file for file, names in imported_modules("ui").items()
                        if any(n.split(".")[0] in QT for n in names)})
    assert len(importers) <= 1, importers
