"""Where the program's own files are: found through the import system, never through ``__file__``
arithmetic, so a frozen bundle (PyInstaller), a wheel and a source checkout all find them.

Alembic needs its migration folders as real folders; ``importlib.resources.files`` gives one for a
package on disk and for one PyInstaller collected as data. A missing one is the program's fault,
not the user's: it is reported as one line naming the file (``ResourceMissingError``), before any
workspace file is written.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from caseapp.errors import ResourceMissingError


def package_dir(package: str, *required: str) -> Path:
    """The folder of ``package`` on disk; every name in ``required`` must be a file in it."""
    try:
        path = Path(str(resources.files(package)))
    except (ModuleNotFoundError, TypeError):
        raise ResourceMissingError(package.replace(".", "/")) from None
    if not path.is_dir():
        raise ResourceMissingError(package.replace(".", "/"))
    for name in required:
        if not (path / name).is_file():
            raise ResourceMissingError(f"{package.replace('.', '/')}/{name}")
    return path
