"""The command line's --help in Chinese: each English help text of ``caseapp`` (its own commands and
options, the plugins', argparse's) with its Chinese, as Qt's catalogues pair a source text with its
translation. tests/core/test_cli_help.py fails on a help text without one."""

from __future__ import annotations

import argparse

ZH: dict[str, str] = {
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "workspace folder": "工作区文件夹",
    "create a new encrypted workspace": "新建加密工作区",
    "change the workspace passphrase": "修改工作区密码",
    "show the workspace's state": "查看工作区状态",
    "audit trail tools": "审计日志工具",
    "fill the workspace with realistic Guangzhou demo data": "用仿真的广州演示数据填充工作区",
    "export every record as JSON Lines, sealed with an export passphrase (CASEAPP_EXPORT_PASSPHRASE or a prompt)":
        "把全部记录导出为 JSON Lines，用导出密码加密（CASEAPP_EXPORT_PASSPHRASE 或提示输入）",
    "an Excel ledger: assistance (救助对象台账) or notice (公示名单), password-protected with an export passphrase":
        "导出 Excel 台账：救助对象台账或公示名单，用导出密码保护",
    "the monthly statistics (统计月报) as an Excel workbook, a sheet per table": "导出统计月报 Excel 工作簿，每张表一个工作表",
    "import households and members from an Excel ledger (all or nothing)": "从 Excel 台账导入家庭和成员（要么全部导入，要么都不导入）",
    "import records from a JSON Lines file (all or nothing)": "从 JSON Lines 文件导入记录（要么全部导入，要么都不导入）",
    "log in to a sync server and register this device": "登录同步服务器并登记本设备",
    "push local changes, then pull the server's": "上传本机的改动，再下载服务器的改动",
    "list open conflicts": "列出未处理的冲突",
    "settle a conflict": "处理一个冲突",
    "pending and rejected changes": "待上传和被拒绝的改动",
    "your user name (recorded as the author of your changes)": "你的用户名（记作你所作改动的作者）",
    "check the audit trail's hash chain": "核对审计日志的哈希链",
    "write plain text (for another system); to stdout without -o": "写出明文（供其他系统使用）；不带 -o 时写到标准输出",
    "the .xlsx file to write": "要写出的 .xlsx 文件",
    "only this division (a district, street or community code)": "只导出此区划（区、街道或社区代码）",
    "only this assistance category (e.g. dibao)": "只导出此救助类别（如 dibao 低保）",
    "no password (a notice to be posted, say)": "不设密码（例如要张贴的公示）",
    "the month, YYYY-MM (default: last month)": "月份，格式 YYYY-MM（默认：上个月）",
    "only this org unit (a district, street, community or grid code)": "只统计此单位（区、街道、社区或网格代码）",
    "only this table (repeatable; default: all)": "只导出此表（可重复；默认：全部）",
    "no password (the figures hold no personal data)": "不设密码（统计数字不含个人信息）",
    "the grid or community code for rows without one": "没有写明网格或社区代码的行所用的代码",
    "also overwrite records changed in this workspace after the file was made": "文件生成后本工作区又改过的记录也一并覆盖",
    "your organisation's CA certificate (PEM)": "本单位的 CA 证书（PEM 格式）",
    "administrators only: allow an http:// server outside this computer; the password and token then cross "
    "the network in clear (remembered for this address)":
        "仅限管理员：允许连接本机以外的 http:// 服务器；密码和令牌将以明文经过网络（对此地址记住这一选择）",
}

#: argparse's own words
USAGE = "用法："
POSITIONALS = "参数"
COMMANDS = "命令"
OPTIONALS = "选项"


def help_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help text of ``parser`` and its subcommands, each once, in order."""
    found: list[str] = []
    for each in parsers(parser):
        for action in each._actions:
            texts = [action.help] + [c.help for c in getattr(action, "_choices_actions", [])]
            found.extend(t for t in texts if t and t != argparse.SUPPRESS and t not in found)
    return found


def parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser below it."""
    out = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                out.extend(parsers(sub))
    return out


class ChineseHelp(argparse.RawDescriptionHelpFormatter):
    """--help with argparse's own "usage:" in Chinese."""

    def add_usage(self, usage: str | None, actions: object, groups: object, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix=USAGE if prefix is None else prefix)  # type: ignore[arg-type]


def to_chinese(parser: argparse.ArgumentParser) -> None:
    """Put ``parser``'s help (and every subcommand's) into Chinese; a text without a translation
    stays in English."""
    for each in parsers(parser):
        each.formatter_class = ChineseHelp
        each._positionals.title = COMMANDS if each is parser else POSITIONALS
        each._optionals.title = OPTIONALS
        for action in each._actions:
            for item in [action, *getattr(action, "_choices_actions", [])]:
                if item.help and item.help in ZH:
                    item.help = ZH[item.help]
