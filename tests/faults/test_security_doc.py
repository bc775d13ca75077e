"""docs/security.md maps each threat to the test that covers it: every test it names exists, and
every known loss this suite documents (a strict xfail of issue 9) is on one of its TODO lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
NAMED = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def test_every_test_the_threat_model_names_exists() -> None:
    named = NAMED.findall(DOC.read_text(encoding="utf-8"))
    assert len(named) > 40
    missing = [f"{file}::{name}" for file, name in sorted(set(named))
               if not (ROOT / file).is_file() or f"def {name}(" not in (ROOT / file).read_text(encoding="utf-8")]
    assert missing == []


def known_losses() -> list[str]:
    """Tests in tests/faults marked xfail(strict=True): what is lost or wrong today."""
    found = []
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    "xfail" in ast.unparse(d) and "strict=True" in ast.unparse(d) for d in node.decorator_list):
                found.append(f"tests/faults/{path.name}::{node.name}")
    return found


def test_every_known_loss_is_on_a_todo_line_of_the_threat_model() -> None:
    todo = [line for line in DOC.read_text(encoding="utf-8").splitlines() if "TODO (issue 9)" in line]
    losses = known_losses()  # fewer as each hole is closed and its mark removed
    assert [t for t in losses if not any(t in line for line in todo)] == []
