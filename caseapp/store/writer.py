"""The hook long jobs write through: ``write(fn)`` runs ``fn`` as the workspace's writer and
returns what it returns.

A job that spends most of its time elsewhere (a sync waiting on the network, an index rebuild)
takes one, so the desktop client can queue each of its writes on its single writer thread between
the user's saves; the command line and tests write in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Writer(Protocol):
    def __call__(self, fn: Callable[[], T], /) -> T: ...


def in_place(fn: Callable[[], T]) -> T:
    return fn()
