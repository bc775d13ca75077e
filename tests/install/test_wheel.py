"""The wheel, built from the files the server image copies (installer/server/Dockerfile), installs
one top-level name, ``caseapp``: CaseApp's own ``ui``, ``sync`` and ``migrations`` ride inside it
(setup.py) and are importable by those names only in CaseApp's own processes (caseapp/__init__.py).

Installed into a fresh venv of its own (the wheel alone, ``--no-deps --no-index``; the third-party
libraries come from this venv's site-packages through a .pth, which adds that folder to the path
and nothing else: not this checkout, not its editable install), both commands run and find their
migrations through importlib.resources. Some 30 s: a wheel build, a venv, four commands.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

import caseapp

ROOT = Path(__file__).resolve().parents[2]
OWN = caseapp.OWN_PACKAGES
PASSPHRASE = "correct horse battery staple"


def image_sources() -> list[str]:
    """What the Dockerfile's build stage copies from the checkout before `pip install '.[server]'`."""
    docker = (ROOT / "installer" / "server" / "Dockerfile").read_text()
    build_stage = docker.split("\nFROM ")[1]  # [0] is the comments above the first FROM
    return [name for line in re.findall(r"^COPY (?!--from)(.+) \S+$", build_stage, re.MULTILINE)
            for name in line.split()]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the tree it was built from)."""
    top = tmp_path_factory.mktemp("wheel")
    src = top / "src"
    src.mkdir()
    for name in image_sources():
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    out = top / "out"
    ran = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    (wheel,) = out.glob("caseapp-*.whl")
    return wheel, src


def test_the_wheel_installs_only_caseapp_at_the_top(built: tuple[Path, Path]) -> None:
    wheel, src = built
    names = zipfile.ZipFile(wheel).namelist()
    dist_info = f"caseapp-{caseapp.__version__}.dist-info"
    assert {name.split("/")[0] for name in names} == {"caseapp", dist_info}
    assert zipfile.ZipFile(wheel).read(f"{dist_info}/top_level.txt").decode().split() == ["caseapp"]
    # every module and every data file package-data names, of all four trees, is in it
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    patterns = ["*.py", *data]
    wanted = set()
    for tree in ("caseapp", *OWN):
        for path in (src / tree).rglob("*"):
            if path.is_file() and any(fnmatch.fnmatch(path.name, p) for p in patterns):
                relative = path.relative_to(src).as_posix()
                wanted.add(relative if tree == "caseapp" else f"caseapp/_parts/{relative}")
    assert sorted(wanted - set(names)) == []
    assert {"caseapp/_parts/migrations/env.py", "caseapp/_parts/sync/server/migrations/script.py.mako",
            "caseapp/_parts/ui/i18n/caseapp_zh_CN.qm"} <= set(names)  # `make translations` runs before the tests


def test_installed_in_a_fresh_venv_both_commands_run_and_find_their_migrations(built: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    wheel, _ = built
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    ran = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                          "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    assert sorted(p.name for p in site.iterdir()) == ["caseapp", f"caseapp-{caseapp.__version__}.dist-info"]
    libraries = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_libraries.pth").write_text("".join(f"{p}\n" for p in sorted(libraries)))

    work = tmp_path / "work"  # not the checkout: nothing of it on the path
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CASEAPP_"))}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               LANG="zh_CN.UTF-8", CASEAPP_PASSPHRASE=PASSPHRASE)

    def run(*command: str) -> str:
        done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=180,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    # other programs of the environment do not see the generic names ...
    hidden = subprocess.run([str(python), "-c", "import ui"], cwd=work, env=env, capture_output=True, text=True)
    assert hidden.returncode == 1 and "No module named 'ui'" in hidden.stderr
    # ... CaseApp's processes find its own, inside caseapp
    files = ", ".join(f"{name}.__file__" for name in OWN)
    found = run(str(python), "-c", f"import caseapp, {', '.join(OWN)}; print({files})")
    assert found.count(str(site / "caseapp" / "_parts")) == len(OWN), found

    helped = run(str(venv / "bin" / "caseapp"), "--help")
    assert "民政个案离线工作台" in helped and {"init", "login", "sync"} <= set(re.findall(r"[a-z-]+", helped))
    assert caseapp.__version__ in run(str(venv / "bin" / "caseapp-server"), "--version")
    # the server's and the workspace's migrations, found through importlib.resources in caseapp/_parts
    assert "s00" in run(str(venv / "bin" / "caseapp-server"), "--db", f"sqlite:///{work / 'server.db'}", "migrate")
    # the app factory process managers serve (uvicorn --factory caseapp.server_entry:app)
    env["CASEAPP_SERVER_DB"] = f"sqlite:///{work / 'server.db'}"
    served = run(str(python), "-c", "from caseapp.server_entry import app; print(type(app()).__name__)")
    assert served.strip() == "FastAPI"
    run(str(venv / "bin" / "caseapp"), "--workspace", str(work / "ws"), "init", "--user", "admin")
    assert (work / "ws").is_dir()
