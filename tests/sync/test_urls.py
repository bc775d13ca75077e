"""http:// server addresses: refused outside this computer unless an administrator says
--insecure-http; the refusal is one line saying why, and nothing is sent (not even the password
prompt is shown)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseapp.cli import main as caseapp_main
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.store.workspace import Workspace
from sync import run, urls
from sync.urls import InsecureUrlError, check_server_url

from .conftest import FAST_RETRY, PASSPHRASE, PASSWORD, Server


@pytest.mark.parametrize("url", ["https://sync.example.org", "https://10.1.2.3:8443", "http://127.0.0.1:8443",
                                 "http://127.8.9.10", "http://localhost:8765/", "http://[::1]:8443",
                                 "HTTP://LOCALHOST", "http://[::ffff:127.0.0.1]:8443"])
def test_allowed_addresses(url: str) -> None:
    check_server_url(url)


@pytest.mark.parametrize(("url", "key"), [
    ("http://sync.example.org", "sync.insecure_url"), ("http://10.1.2.3:8443", "sync.insecure_url"),
    ("http://192.168.1.5", "sync.insecure_url"), ("http://[fe80::1]:8443", "sync.insecure_url"),
    ("http://127.0.0.1.example.org", "sync.insecure_url"), ("http://localhost.example.org", "sync.insecure_url"),
    ("ftp://sync.example.org", "sync.bad_url"), ("sync.example.org", "sync.bad_url"),
    ("https://host:port", "sync.bad_url"), ("https://", "sync.bad_url"),
])
def test_refused_addresses(url: str, key: str) -> None:
    with pytest.raises(InsecureUrlError) as refused:
        check_server_url(url)
    assert refused.value.key == key
    if key == "sync.insecure_url":
        check_server_url(url, insecure_http=True)  # what an administrator may allow


def test_login_refuses_http_elsewhere_in_one_line_and_remembers_an_administrators_choice(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The test server is on loopback; to see what a device does with a server elsewhere, the check
    is told that no host is loopback. The login then really goes to the server or not at all."""
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_PASSWORD", PASSWORD)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    monkeypatch.setenv("CASEAPP_SYNC_ATTEMPTS", "1")
    path = tmp_path / "ws"
    Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="worker1")[0].close()
    monkeypatch.setattr(urls, "is_loopback_host", lambda host: False)
    ws_cli = ["--workspace", str(path)]

    assert caseapp_main([*ws_cli, "login", server.url, "--user", "worker1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "in clear" in err and "--insecure-http" in err and "Traceback" not in err
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.get_setting("sync.token") is None and ws.get_setting("sync.server_url") is None
        with pytest.raises(InsecureUrlError):  # the desktop goes through the same run.login
            run.login(ws, server.url, "worker1", PASSWORD, retry=FAST_RETRY)

    assert caseapp_main([*ws_cli, "login", server.url, "--user", "worker1", "--insecure-http"]) == 0
    assert "unencrypted" in capsys.readouterr().err  # said at the login that allowed it
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.get_setting(urls.INSECURE_HTTP) == server.url
        run.login(ws, server.url + "/", "worker1", PASSWORD, retry=FAST_RETRY)  # remembered for this address
        with pytest.raises(InsecureUrlError):
            run.login(ws, "http://127.0.0.1:1", "worker1", PASSWORD, retry=FAST_RETRY)  # not for another
    assert caseapp_main([*ws_cli, "outbox", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    monkeypatch.undo()  # a loopback login again: no longer anything sent in clear to remember
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    with Workspace.open(path, PASSPHRASE) as ws:
        run.login(ws, server.url, "worker1", PASSWORD, retry=FAST_RETRY)
        assert ws.get_setting(urls.INSECURE_HTTP) is None
