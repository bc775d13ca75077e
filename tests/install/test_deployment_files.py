"""The deployment and installer files that cannot run on this machine (no container engine, no
Windows) are at least well-formed and say what the docs say: two app processes behind a TLS proxy
with a one-shot migration, a non-root multi-stage image, a systemd unit that migrates before
serving, a per-user Windows installer, and a CI workflow that builds and smoke-tests it."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "installer" / "server"


def test_compose_runs_two_app_processes_behind_tls_after_one_migration() -> None:
    compose = yaml.safe_load((SERVER / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "migrate", "app1", "app2", "proxy", "backup"} <= set(services)
    assert services["migrate"]["command"] == ["caseapp-server", "migrate"]
    for app in ("app1", "app2"):
        assert services[app]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "/readyz" in " ".join(services[app]["healthcheck"]["test"])
        assert "ports" not in services[app]  # reachable only through the proxy
    assert "443:443" in services["proxy"]["ports"]
    caddy = (SERVER / "Caddyfile").read_text()
    assert "tls internal" in caddy and "app1:8443 app2:8443" in caddy and "health_uri /readyz" in caddy
    assert re.search(r"@metrics path /metrics\s+respond @metrics 404", caddy)


def test_the_image_is_multi_stage_and_runs_as_a_user() -> None:
    docker = (SERVER / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", docker, re.MULTILINE)) == 2
    assert "-c constraints.txt '.[server]'" in docker
    user = re.findall(r"^USER (\S+)", docker, re.MULTILINE)
    assert user and user[-1] not in ("root", "0")
    for copied in re.findall(r"^COPY (?!--from)(.+) \S+$", docker, re.MULTILINE):
        for name in copied.split():
            assert (ROOT / name).exists(), name


def test_the_systemd_unit_migrates_once_then_serves() -> None:
    unit = (SERVER / "caseapp-server.service").read_text()
    assert "ExecStartPre=/opt/caseapp-server/bin/caseapp-server migrate" in unit
    assert re.search(r"^ExecStart=.* serve .*--workers \d", unit, re.MULTILINE)
    assert "RestartPreventExitStatus=3" in unit  # asgi.EXIT_SCHEMA: restarting cannot help
    assert re.search(r"^User=caseapp$", unit, re.MULTILINE)


def test_the_windows_installer_is_per_user_and_packs_the_spec_bundle() -> None:
    iss = (ROOT / "installer" / "windows" / "caseapp.iss").read_text()
    assert "PrivilegesRequired=lowest" in iss and r"DefaultDirName={userpf}\CaseApp" in iss
    assert r"build\dist\caseapp\*" in iss and "{userprograms}\\个案通" in iss
    sections = re.findall(r"^\[(\w+)\]", iss, re.MULTILINE)
    assert sections[0] == "Setup" and {"Files", "Icons", "Languages"} <= set(sections)
    spec = (ROOT / "installer" / "caseapp.spec").read_text()
    assert 'name="caseapp-gui", console=False' in spec  # the Start-menu program; the .iss runs it


def test_the_windows_workflow_builds_smoke_tests_and_installs() -> None:
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "windows.yml").read_text())
    steps = flow["jobs"]["bundle"]["steps"]
    assert flow["jobs"]["bundle"]["runs-on"].startswith("windows")
    script = "\n".join(str(s.get("run", "")) for s in steps)
    for needed in ("-c constraints.txt", "installer/caseapp.spec", "installer/smoke_test.py", "ISCC.exe",
                   "/CURRENTUSER", "unins000.exe"):
        assert needed in script, needed
