"""`caseapp --help` in Chinese: every help text of every command (the plugins' too) has its Chinese,
and a Chinese user's help shows it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from caseapp import cli
from caseapp.messages import cli_help


def test_every_help_text_has_its_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_LANG", "en")
    texts = cli_help.help_texts(cli.build_parser())
    assert len(texts) > 30  # the commands, their options and argparse's own
    missing = [t for t in texts if t not in cli_help.ZH]
    assert not missing, f"add these to caseapp/messages/cli_help.py ZH: {missing}"


def test_a_chinese_users_help_is_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_LANG", "zh")
    texts = cli_help.help_texts(cli.build_parser())
    assert texts and set(texts) <= set(cli_help.ZH.values())


@pytest.mark.parametrize("args", [["--help"], ["report", "--help"], ["sync", "--help"]])
def test_the_command_prints_chinese_help(args: list[str]) -> None:
    env = {"CASEAPP_LANG": "zh", "PATH": "/usr/bin:/bin"}
    shown = subprocess.run([sys.executable, "-m", "caseapp.cli", *args], capture_output=True, text=True,
                           env=env, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("用法：caseapp") and "显示本帮助并退出" in shown.stdout
    assert "show this help" not in shown.stdout
