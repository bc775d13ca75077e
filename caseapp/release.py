"""The program's release number and the order of releases ("1.10" comes after "1.9").

The sync server names the oldest release it still serves and the newest there is
(sync.protocol's release headers); the client compares its own against them."""

from __future__ import annotations

import re

from caseapp import __version__

__all__ = ["RELEASE_PATTERN", "__version__", "older", "release_key"]

#: one to four dot-separated numbers: 1, 1.2, 1.2.3, 1.2.3.4
RELEASE_PATTERN = r"^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$"


def release_key(release: str) -> tuple[int, ...] | None:
    """A release number as what compares in release order ("1.2" and "1.2.0" alike); None if
    it is not one."""
    if not re.fullmatch(RELEASE_PATTERN, release):
        return None
    parts = [int(x) for x in release.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def older(release: str, than: str) -> bool:
    """``release`` comes before ``than`` (False when either is not a release number)."""
    mine, theirs = release_key(release), release_key(than)
    return mine is not None and theirs is not None and mine < theirs
