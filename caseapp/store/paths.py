"""Where a workspace lives and what its folder holds. Nothing here imports SQLAlchemy: the command
line finds its workspace before it knows whether it needs the ORM."""

from __future__ import annotations

from pathlib import Path

import platformdirs

KEY_FILE = "key.json"
DB_FILE = "workspace.db"
ATTACHMENTS_DIR = "attachments"
BACKUPS_DIR = "backups"


def default_dir() -> Path:
    return Path(platformdirs.user_data_dir("CaseApp", "CaseApp")) / "workspace"


def exists(path: Path) -> bool:
    return (path / KEY_FILE).exists()
