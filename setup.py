"""Which packages the wheel holds, and where (everything else is in pyproject.toml).

The source tree keeps CaseApp's own top-level packages ``ui``, ``sync`` and ``migrations`` beside
``caseapp``, and the code imports them by those names. Installed at the top of site-packages,
such generic names would collide with other distributions' packages, so the wheel ships them
inside caseapp's folder instead, as ``caseapp/_parts/ui``, ``caseapp/_parts/sync`` and
``caseapp/_parts/migrations``: the only top-level name it installs is ``caseapp``. Importing
``caseapp`` (every entry point does) puts ``caseapp/_parts`` first on ``sys.path``
(caseapp/__init__.py), so ``import ui`` in CaseApp's own processes finds CaseApp's, and other
programs in the same environment never see them. tests/install/test_wheel.py builds the wheel
and checks both.

This is a setup.py, not a ``[tool.setuptools]`` table, because the mapped package names are
computed from the tree: a listed-by-hand table would silently drop a subpackage added later.
"""

from setuptools import find_namespace_packages, setup

#: CaseApp's own top-level packages, shipped under caseapp/_parts (caseapp.OWN_PACKAGES too)
OWN_PACKAGES = ("ui", "sync", "migrations")
PARTS = "caseapp._parts"


def tree(top: str) -> list[str]:
    """``top`` and every package (namespace folders included, as data folders like ui/i18n are)."""
    return [name for name in find_namespace_packages(include=[top, f"{top}.*"]) if "__pycache__" not in name]


packages = tree("caseapp")
package_dir: dict[str, str] = {}
for own in OWN_PACKAGES:
    package_dir[f"{PARTS}.{own}"] = own
    packages += [f"{PARTS}.{name}" for name in tree(own)]

setup(packages=packages, package_dir=package_dir)
