"""The server names the oldest program release it serves and the newest there is; the client
tells its user, and a release below the oldest is refused with what it needs, its outbox kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from caseapp.cli import main as caseapp_main
from caseapp.domain import Household
from caseapp.messages import message
from caseapp.release import __version__, older, release_key
from caseapp.services import records
from caseapp.services.status import workspace_status
from sync import protocol as p
from sync import run, settings
from sync.errors import TooOldError
from sync.server.app import ServerConfig
from sync.server.cli import main as server_cli
from sync.server.db import Database

from .conftest import GRID_A1, PASSPHRASE, Device, Server

parts = st.lists(st.integers(0, 999), min_size=1, max_size=4)


@given(parts, parts)
def test_releases_compare_as_numbers_and_trailing_zeros_do_not_count(a: list[int], b: list[int]) -> None:
    def trimmed(x: list[int]) -> tuple[int, ...]:
        while len(x) > 1 and x[-1] == 0:
            x = x[:-1]
        return tuple(x)

    ra, rb = ".".join(map(str, a)), ".".join(map(str, b))
    assert older(ra, rb) == (trimmed(a) < trimmed(b))
    assert release_key(ra) == trimmed(a)
    assert not older(ra, ra)


@pytest.mark.parametrize("bad", ["", "1.2.3.4.5", "v1.2", "1..2", "1.2-beta", "１.2", " 1.2", "1.2\n"])
def test_a_release_is_dotted_numbers_only(bad: str) -> None:
    assert release_key(bad) is None and not older(bad, "9") and not older("0", bad)
    if bad:
        with pytest.raises(ValueError, match="not a release number"):
            ServerConfig(min_client=bad)


def _bump(release: str) -> str:
    key = release_key(release)
    assert key is not None
    return ".".join(map(str, (*key[:-1], key[-1] + 1)))


NEWER = _bump(__version__)


@pytest.fixture
def releasing(server: Server, server_db: Database) -> Iterator[Callable[[str, str], Server]]:
    running: list[Server] = []

    def start(min_client: str, latest_client: str) -> Server:
        srv = Server(server_db, ServerConfig(min_client=min_client, latest_client=latest_client))
        srv.start()  # (on the `server` fixture's database: its users and the devices' tokens hold)
        running.append(srv)
        return srv

    yield start
    for srv in running:
        srv.stop()


def test_a_newer_release_is_named_after_a_sync(releasing: Callable[[str, str], Server],
                                               device: Callable[[str], Device], capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    srv = releasing(__version__, NEWER)
    dev = device("worker1")
    dev.ws.set_setting(settings.SERVER_URL, srv.url)
    report = dev.sync()
    assert report.update_available and report.latest_client == NEWER
    status = workspace_status(dev.ws)
    assert status["release"] == __version__ and status["update"] == NEWER
    client = run.connect(dev.ws)
    try:
        shake = client.handshake()
    finally:
        client.close()
    assert (shake.min_client, shake.latest_client) == (__version__, NEWER)
    path = dev.ws.path
    dev.ws.close()
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "zh")
    capsys.readouterr()
    assert caseapp_main(["--workspace", str(path), "sync"]) == 0
    out = capsys.readouterr().out
    assert message("sync.update_available", "zh", latest=NEWER, release=__version__) in out
    assert f"有新版本 {NEWER} 可用" in out
    assert caseapp_main(["--workspace", str(path), "status"]) == 0
    assert f"服务器告知的新版本：{NEWER}" in capsys.readouterr().out


def test_the_same_release_hears_of_no_update(releasing: Callable[[str, str], Server],
                                             device: Callable[[str], Device]) -> None:
    srv = releasing("", __version__)
    dev = device("worker1")
    dev.ws.set_setting(settings.SERVER_URL, srv.url)
    report = dev.sync()
    assert not report.update_available and workspace_status(dev.ws)["update"] == "-"


def test_a_release_below_the_oldest_served_is_told_what_it_needs_and_keeps_its_work(
        releasing: Callable[[str, str], Server], device: Callable[[str], Device]) -> None:
    old = releasing("", "")
    dev = device("worker1")
    dev.ws.set_setting(settings.SERVER_URL, old.url)
    with dev.ws.write() as s:
        records.create(s, Household, {"org_code": GRID_A1, "address": "江南大道南 8 号", "head_name": "欧阳明"})
    waiting = workspace_status(dev.ws)["pending"]
    assert waiting
    old.stop()
    strict = releasing(NEWER, NEWER)
    dev.ws.set_setting(settings.SERVER_URL, strict.url)
    with pytest.raises(TooOldError) as refused:
        dev.sync()
    assert refused.value.key == "sync.client_release_too_old" and refused.value.min_release == NEWER
    line = message(refused.value.key, "zh", **refused.value.params)
    assert f"本程序版本 {__version__} 过旧，服务器要求 {NEWER}" in line and "\n" not in line
    assert workspace_status(dev.ws)["pending"] == waiting  # nothing sent, nothing lost


def test_a_request_without_a_release_number_is_refused_when_the_server_requires_one(
        releasing: Callable[[str, str], Server]) -> None:
    srv = releasing(__version__, "")
    for bad in ("beta", "0", ""):  # not a release, an older one, an empty one
        answer = requests.get(f"{srv.url}{p.API_PREFIX}/handshake", headers={p.CLIENT_HEADER: bad}, timeout=10)
        assert answer.status_code == 426, (bad, answer.status_code)
        assert answer.json()["error"] == "sync.client_release_too_old"
        assert answer.headers[p.MIN_CLIENT_HEADER] == __version__
    fine = requests.get(f"{srv.url}{p.API_PREFIX}/handshake", headers={p.CLIENT_HEADER: __version__}, timeout=10)
    assert fine.status_code == 200 and fine.json()["min_client"] == __version__


def test_serve_refuses_a_bad_release_number_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path}/server.db"
    assert server_cli(["--db", db, "migrate"]) == 0
    assert server_cli(["--db", db, "serve", "--min-client", "1.2-beta"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "caseapp-server serve: not a release number: '1.2-beta' (say it as 1.2 or 1.2.3)"


def test_an_oversized_or_odd_release_header_is_a_clean_refusal(releasing: Callable[[str, str], Server]) -> None:
    srv = releasing(__version__, "")
    for bad in ("9" * 1000, "1.2\x7f", "1." * 30):
        answer = requests.get(f"{srv.url}{p.API_PREFIX}/handshake", headers={p.CLIENT_HEADER: bad}, timeout=10)
        assert answer.status_code in (422, 426), (bad[:20], answer.status_code)
        assert answer.json()["error"] in ("sync.bad_request", "sync.client_release_too_old")


def test_a_server_naming_junk_releases_changes_nothing_on_the_device(device: Callable[[str], Device],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Release headers a broken or hostile server sends that are no release numbers are ignored."""
    dev = device("worker1")
    real = requests.Session.request

    def junk(self: requests.Session, *args: Any, **kwargs: Any) -> requests.Response:
        answer = real(self, *args, **kwargs)
        answer.headers[p.LATEST_CLIENT_HEADER] = "99<script>"
        answer.headers[p.MIN_CLIENT_HEADER] = "9" * 500
        return answer

    monkeypatch.setattr(requests.Session, "request", junk)
    report = dev.sync()
    assert report.latest_client == "" and not report.update_available
    assert workspace_status(dev.ws)["update"] == "-"
