"""Where an unexpected error's details go, so the terminal shows one line and support still gets
a traceback.

What is written is the program's side only: versions, the command's name, the exception types and
the stack (file, line, function, source line). Never an exception's message, the command line's
arguments or a local variable: those carry names, ID numbers and file names chosen by the user.
File paths are cut to what follows the package folder, so the user's home folder (often their
name) stays out too.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import platform
import traceback
from pathlib import Path

import platformdirs

import caseapp

LOG_NAME = "errors.log"
MAX_BYTES = 1024 * 1024  # then the log is moved to errors.log.1 and a new one begun
_ROOT = Path(caseapp.__file__).resolve().parent.parent  # the folder holding caseapp/, sync/, ui/


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir("CaseApp", "CaseApp"))


def _short(filename: str) -> str:
    path = Path(filename)
    try:
        return path.resolve().relative_to(_ROOT).as_posix()
    except (ValueError, OSError):
        pass
    parts = path.parts
    if "site-packages" in parts:  # a library: its own name onwards
        return "/".join(parts[parts.index("site-packages") + 1:])
    return path.name


def _describe(error: BaseException) -> str:
    """The exception's type and, where it has one, a code that names the failure without data."""
    name = type(error).__qualname__
    if isinstance(error, OSError) and error.errno is not None and error.errno in errno.errorcode:
        name += f" [{errno.errorcode[error.errno]}]"
    code = getattr(error, "sqlite_errorname", None) or getattr(error, "key", None)
    if isinstance(code, str):
        name += f" [{code}]"
    return name


def report(error: BaseException, command: str) -> str:
    """The text written for ``error``: no personal data (see the module's docstring)."""
    lines = [f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} caseapp {caseapp.__version__} "
             f"(Python {platform.python_version()}, {platform.system()} {platform.release()}) "
             f"command: {command or '-'}"]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(("  " if current is not error else "") + _describe(current))
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"    {_short(frame.filename)}:{frame.lineno} in {frame.name}: {(frame.line or '').strip()}")
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        if current is not None:
            lines.append("  caused by / while handling:")
    return "\n".join(lines) + "\n\n"


def write(error: BaseException, command: str, folder: Path | None = None) -> Path | None:
    """Append ``error``'s report to the log (owner-only); its path, or None if it could not be
    written (a full disk, say), in which case the caller says so instead."""
    folder = folder or log_dir()
    target = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if target.exists() and target.stat().st_size > MAX_BYTES:
            os.replace(target, folder / (LOG_NAME + ".1"))
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as stream:
            stream.write(report(error, command))
    except OSError:
        return None
    return target


__all__ = ["log_dir", "report", "write"]
