"""CaseApp core: domain model, encrypted store and services. Imports neither Qt nor HTTP.

Importing it also makes CaseApp's own top-level packages ``ui``, ``sync`` and ``migrations``
importable by those names wherever the program was installed from its wheel (see setup.py).
"""

import os
import sys

__version__ = "0.1.0"

#: CaseApp's own top-level packages, which setup.py ships inside this package's folder
OWN_PACKAGES = ("ui", "sync", "migrations")


def _own_packages_first() -> None:
    """Put the folder that holds CaseApp's ui, sync and migrations first on ``sys.path``.

    Installed from the wheel, that folder is ``caseapp/_parts``: nothing else in the environment
    sees those generic names, and in CaseApp's own processes (every entry point imports caseapp
    first) ``import ui`` finds CaseApp's before any other distribution's. An editable install
    (``pip install -e .``, as ``make`` does) maps only ``caseapp`` from the checkout, so there the
    folder is the checkout. A source checkout run from its root, and a frozen bundle, which
    carries the packages at its top, already find them: nothing is changed.
    """
    if getattr(sys, "frozen", False):
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for folder in (os.path.join(here, "_parts"), os.path.dirname(here)):
        if all(os.path.isfile(os.path.join(folder, name, "__init__.py")) for name in OWN_PACKAGES):
            if folder not in sys.path:
                sys.path.insert(0, folder)
            return


_own_packages_first()
