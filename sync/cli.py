"""Sync commands for the ``caseapp`` command line, registered through the ``caseapp.commands``
entry point (the core never imports HTTP):

    caseapp login URL --user NAME [--ca-file F] [--insecure-http]
    caseapp sync
    caseapp conflicts [--format json]
    caseapp resolve ID (--keep mine|theirs | --value V)
    caseapp outbox [--format json]

Each failure prints one translated line and exits non-zero; the outbox is never touched by one.
Only the arguments are declared here: the commands (``sync.commands``) are imported when one of
them runs, so every other command starts without the HTTP client and the sync engine.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from caseapp.cli import CliContext

Handler = Callable[[argparse.Namespace, "CliContext"], int]


def _command(name: str) -> Handler:
    def run(args: argparse.Namespace, ctx: CliContext) -> int:
        from sync import commands

        handler: Handler = getattr(commands, name)
        return handler(args, ctx)

    run.__name__ = name
    return run


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("login", help="log in to a sync server and register this device")
    p.add_argument("url")
    p.add_argument("--user", required=True)
    p.add_argument("--ca-file", default=None, help="your organisation's CA certificate (PEM)")
    p.add_argument("--insecure-http", action="store_true",
                   help="administrators only: allow an http:// server outside this computer; the password and "
                        "token then cross the network in clear (remembered for this address)")
    p.set_defaults(handler=_command("login"))
    p = subparsers.add_parser("sync", help="push local changes, then pull the server's")
    p.set_defaults(handler=_command("sync_now"))
    p = subparsers.add_parser("conflicts", help="list open conflicts")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(handler=_command("cmd_conflicts"))
    p = subparsers.add_parser("resolve", help="settle a conflict")
    p.add_argument("id")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--keep", choices=["mine", "theirs"])
    group.add_argument("--value")
    p.set_defaults(handler=_command("cmd_resolve"))
    p = subparsers.add_parser("outbox", help="pending and rejected changes")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(handler=_command("cmd_outbox"))
