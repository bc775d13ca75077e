"""What an install gets: the licence it declares, a lock that pins every requirement, a desktop
that runs its demo server without the server extra, and system packages split by need."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCK = ROOT / "constraints.txt"


def _name(req: str) -> str:
    return re.sub(r"[-_.]+", "-", Requirement(req).name).lower()


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if m:
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def test_the_licence_is_declared_as_spdx_and_shipped() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    for name in ("CHANGELOG.md", "CONTRIBUTING.md", "caseapp/py.typed", "sync/py.typed"):
        assert (ROOT / name).is_file(), name


def test_the_lock_pins_every_requirement_of_every_extra() -> None:
    pins = _locked()
    wanted = [*PROJECT["dependencies"], *(r for extra in PROJECT["optional-dependencies"].values() for r in extra)]
    missing = [r for r in wanted if _name(r) != "caseapp" and _name(r) not in pins]
    assert missing == [], f"run `make lock`: {missing} are not in constraints.txt"
    for req in wanted:
        if _name(req) in pins:
            assert Requirement(req).specifier.contains(pins[_name(req)], prereleases=True), (req, pins[_name(req)])
    major, minor = (int(x) for x in pins["pyside6-essentials"].split(".")[:2])
    assert (major, minor) < (6, 12)


def test_the_desktop_does_not_pull_the_server_stack() -> None:
    core = {_name(r) for r in PROJECT["dependencies"]}
    server = {_name(r) for r in PROJECT["optional-dependencies"]["server"]}
    assert {"psycopg", "prometheus-client"} <= server and not (server & core)
    assert "caseapp[server]" in PROJECT["optional-dependencies"]["dev"]  # make test still has it


def test_the_desktop_demo_server_runs_without_the_server_extra(tmp_path: Path) -> None:
    """The desktop's built-in demo server, with psycopg and prometheus_client made unimportable."""
    script = f"""
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('psycopg', 'psycopg_binary', 'prometheus_client'):
            raise ImportError('not installed: ' + name)
sys.meta_path.insert(0, Block())
import requests
from ui.demo_server import DemoServer
server = DemoServer(__import__('pathlib').Path({str(tmp_path)!r}))
url = server.start()
assert requests.get(url + '/api/v1/handshake', timeout=10).status_code == 200
assert requests.get(url + '/metrics', timeout=10).status_code == 401  # no operations endpoints
server.stop()
assert not any(m.split('.')[0] in ('psycopg', 'prometheus_client') for m in sys.modules)
print('ok')
"""
    ran = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ran.stdout.strip() == "ok", ran.stderr


def test_system_deps_without_root_says_what_to_install_and_carries_on(tmp_path: Path) -> None:
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, body in {"dpkg": "exit 1", "id": "echo 1000", "sudo": "exit 1"}.items():
        stub = stubs / name
        stub.write_text(f"#!/bin/sh\n{body}\n")
        stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"}

    def run(*groups: str) -> str:
        ran = subprocess.run(["bash", str(ROOT / "scripts/system-deps"), *groups], env=env, capture_output=True,
                             text=True, timeout=60)
        assert ran.returncode == 0, ran.stderr
        command = next(line for line in ran.stderr.splitlines() if "apt-get install -y" in line)
        return command.strip()

    desktop = run("desktop").split()
    assert desktop[:4] == ["sudo", "apt-get", "install", "-y"]
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "fonts-wqy-microhei"} <= set(desktop)
    assert "postgresql" not in desktop and "postgresql-client" not in desktop
    assert {"postgresql", "poppler-utils", "libxcb-cursor0"} <= set(run("test").split())
    server = run("server").split()
    assert "postgresql-client" in server and "libxcb-cursor0" not in server
