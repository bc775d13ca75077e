"""Rewrite one suite's section of docs/benchmarks.md, leaving every other section as it is."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

HEADER = ("# Benchmarks\n\nFigures written by `make bench` (`python -m bench.run`); each suite owns the section "
          "between its markers.\n")


def markers(suite: str) -> tuple[str, str]:
    return f"<!-- bench:{suite}:start -->", f"<!-- bench:{suite}:end -->"


def replace_section(text: str, suite: str, body: str) -> str:
    start, end = markers(suite)
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write_section(path: Path, suite: str, body: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    updated = replace_section(text, suite, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    # temp file + rename: an interrupted run never leaves a half-written document
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".benchmarks-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(updated)
    os.replace(tmp, path)
