"""Preferences needed before the workspace is unlocked (the language of the unlock screen, which
workspace to open). Nothing personal lives here: everything else is a setting inside the encrypted
workspace."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

from caseapp.fileio import atomic_write_bytes


def default_path() -> Path:
    return Path(platformdirs.user_config_dir("CaseApp", "CaseApp")) / "ui.json"


@dataclass
class Prefs:
    path: Path = field(default_factory=default_path)
    #: "" follows the system locale
    language: str = ""
    #: the window's last size (width, height) in device-independent pixels; empty: not yet chosen
    window_size: list[int] = field(default_factory=list)
    window_maximized: bool = False

    @classmethod
    def load(cls, path: Path | None = None) -> Prefs:
        path = path or default_path()
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return cls(path)
        size = data.get("window_size")
        if not (isinstance(size, list) and len(size) == 2 and all(isinstance(n, int) and n > 0 for n in size)):
            size = []
        return cls(path, language=str(data.get("language", "")), window_size=size,
                   window_maximized=bool(data.get("window_maximized", False)))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {k: v for k, v in asdict(self).items() if k != "path"}
        atomic_write_bytes(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
