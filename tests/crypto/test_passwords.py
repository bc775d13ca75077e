"""The one password policy: workspace and export passphrases, server accounts (tests/sync/
test_accounts.py covers the server's use of it) and the UI (tests/ui/test_accounts_ui.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseapp import data
from caseapp.cli import main as caseapp_main
from caseapp.crypto import passwords
from caseapp.crypto.keyfile import TEST_KDF, check_passphrase, passphrase_strength
from caseapp.errors import ValidationError
from caseapp.messages import CATALOGUE, render
from caseapp.store.workspace import Workspace

COMMON = ["12345678", "password", "Password1", "woaini1314", "qwertyuiop", "a12345678", "52013145201314",
          "1qaz2wsx3edc", "iloveyou1314", "ｐａｓｓｗｏｒｄ", "dragon2024", "abcdefgh", "87654321", "zzzzzzzz",
          "woaiwojia", "qq123456"]


@pytest.mark.parametrize("passphrase", COMMON)
def test_the_commonest_passwords_are_refused_with_a_reason(passphrase: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_passphrase(passphrase)
    assert refused.value.key == "password.too_common"
    assert "common" in render(refused.value, "en") and "常见" in render(refused.value, "zh")
    assert passphrase_strength(passphrase) == 0


@pytest.mark.parametrize("passphrase", ["correct horse battery staple", "民政个案管理系统", "eight ch",
                                        "kitchen table lamp", "monkey83920174", "Xq7#pL2!vR"])
def test_uncommon_passphrases_pass(passphrase: str) -> None:
    check_passphrase(passphrase)


def test_the_list_is_shipped_with_its_source_and_licence() -> None:
    shipped = data.load("common_passwords.json")
    assert "zxcvbn" in shipped["source"] and "MIT" in shipped["licence"] and shipped["licence_text"]
    listed = shipped["passwords"]
    assert len(listed) >= 10_000 and len(set(listed)) == len(listed)
    assert {"woaini1314", "qwertyuiop", "a123456", "5201314"} <= set(listed)
    assert all(word == passwords.fold(word) for word in listed)


def test_the_user_name_is_no_password() -> None:
    for password in ("li.ming2026", "LI.MING", "gnim.il", "li.mingli.ming"):
        with pytest.raises(ValidationError) as refused:
            passwords.check(password, min_length=6, user="li.ming")
        assert refused.value.key == "password.is_user_name"
    passwords.check("li.ming walks the dog at dawn", min_length=10, user="li.ming")


def test_every_new_message_is_in_both_languages() -> None:
    for key in ("password.too_common", "password.is_user_name", "password.too_short"):
        assert CATALOGUE["zh"][key] and CATALOGUE["en"][key]


def test_workspace_and_export_passphrases_refuse_common_passwords(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValidationError):
        Workspace.create(tmp_path / "w0", "12345678", kdf=TEST_KDF)
    assert not (tmp_path / "w0" / "key.json").exists()
    ws, _ = Workspace.create(tmp_path / "w1", "correct horse battery staple", kdf=TEST_KDF)
    with pytest.raises(ValidationError):
        ws.change_passphrase("password")
    ws.close()
    monkeypatch.setenv("CASEAPP_LANG", "en")
    monkeypatch.setenv("CASEAPP_PASSPHRASE", "correct horse battery staple")
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", "password")
    out = tmp_path / "export.jsonl"
    assert caseapp_main(["--workspace", str(tmp_path / "w1"), "export", "-o", str(out)]) == 1
    assert "most common" in capsys.readouterr().err and not out.exists()
