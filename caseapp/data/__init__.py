"""Small data files shipped with CaseApp (name lists and place names for demo data). Each JSON file
names its source in a top-level ``source`` key."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed JSON file ``name`` (e.g. "demo_people.json"), read once."""
    return json.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))
