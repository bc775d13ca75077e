"""What the figures were measured on."""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path

import sqlcipher3


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "?"


def describe() -> str:
    conn = sqlcipher3.dbapi2.connect(":memory:")
    try:
        cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
        sqlite_in_cipher = conn.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        conn.close()
    return (f"{os.cpu_count()} CPUs (nproc), {cpu_model()}, {memory_gib()} RAM; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; SQLCipher {cipher} "
            f"(SQLite {sqlite_in_cipher}); "
            f"plain SQLite {sqlite3.sqlite_version}")
