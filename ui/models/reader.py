"""What a model needs from the session: a way to run a read off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.orm import Session as DbSession


class Reader(Protocol):
    @property
    def core_lang(self) -> str: ...

    def read(self, fn: Callable[[DbSession], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None) -> None: ...
