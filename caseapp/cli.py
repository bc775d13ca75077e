"""The `caseapp` command line.

With no subcommand it starts the desktop app (found through the ``caseapp.gui`` entry point, so the
core never imports Qt). Subcommands work headless for administrators, scripts and tests. Commands
that need HTTP (login, sync …) are plugins registered under the ``caseapp.commands`` entry point.

Passphrases come from CASEAPP_PASSPHRASE or a prompt; errors are printed in the user's language
(CASEAPP_LANG, else the system locale; Chinese by default) as one clear line, exit code 1.
"""

from __future__ import annotations

import argparse
import getpass
import locale
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from caseapp import __version__
from caseapp.errors import CaseAppError
from caseapp.messages import message, render

if TYPE_CHECKING:
    from caseapp.services.exchange import ImportRejected
    from caseapp.store.workspace import Workspace

# The store (SQLAlchemy, SQLCipher, Alembic) is imported inside the commands that need it, so the
# desktop app, which starts through this module, shows its first window sooner.

Handler = Callable[[argparse.Namespace, "CliContext"], int]


def detect_language() -> str:
    explicit = os.environ.get("CASEAPP_LANG")
    if explicit in ("zh", "en"):
        return explicit
    # Chinese is the default; English only where the locale names another language.
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (os.environ.get(var) or "").lower()
        if value and value not in ("c", "posix") and not value.startswith(("c.", "posix.")):
            return "zh" if value.startswith("zh") else "en"
    code = (locale.getlocale()[0] or "").lower()
    return "en" if code and code not in ("c", "posix") and not code.startswith("zh") else "zh"


@dataclass
class CliContext:
    workspace_dir: Path
    lang: str
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    _workspace: Workspace | None = None

    def out(self, text: str) -> None:
        print(text, file=self.stdout)

    def msg(self, key: str, **params: Any) -> str:
        return message(key, self.lang, **params)

    def fail(self, error: CaseAppError) -> int:
        print(render(error, self.lang), file=self.stderr)
        return 1

    def passphrase(self, prompt_key: str = "cli.prompt_passphrase", confirm: bool = False) -> str:
        return self.secret("CASEAPP_PASSPHRASE", prompt_key, confirm=confirm)

    def secret(self, variable: str, prompt_key: str, confirm: bool = False) -> str:
        """From the environment variable, or asked for (twice with ``confirm``)."""
        value = os.environ.get(variable)
        if value is not None:
            return value
        value = getpass.getpass(self.msg(prompt_key))
        if confirm and getpass.getpass(self.msg("cli.prompt_passphrase_again")) != value:
            raise CaseAppError("workspace.passphrase_mismatch", "passphrase")
        return value

    def open_workspace(self) -> Workspace:
        from caseapp.store import workspace as wsmod
        from caseapp.store.workspace import Workspace

        if self._workspace is None:
            if not wsmod.exists(self.workspace_dir):
                raise CaseAppError("workspace.not_found", None, path=str(self.workspace_dir))
            self._workspace = Workspace.open(self.workspace_dir, self.passphrase())
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


# --- commands ------------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.store.workspace import Workspace

    passphrase = ctx.passphrase("cli.prompt_new_passphrase", confirm=True)
    ws, recovery = Workspace.create(ctx.workspace_dir, passphrase, actor=args.user or "")
    ws.close()
    ctx.out(ctx.msg("cli.created", path=str(ctx.workspace_dir)))
    ctx.out(ctx.msg("cli.recovery_key_once"))
    ctx.out(recovery)
    return 0


def cmd_passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.open_workspace()
    new = os.environ.get("CASEAPP_NEW_PASSPHRASE")
    if new is None:
        new = getpass.getpass(ctx.msg("cli.prompt_new_passphrase"))
        if getpass.getpass(ctx.msg("cli.prompt_passphrase_again")) != new:
            raise CaseAppError("workspace.passphrase_mismatch", "passphrase")
    ws.change_passphrase(new)
    ctx.out(ctx.msg("cli.passphrase_changed"))
    return 0


def cmd_status(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services.status import workspace_status

    ws = ctx.open_workspace()
    status = workspace_status(ws)
    for key, value in status.items():
        ctx.out(f"{ctx.msg('cli.status.' + key)}: {value}")
    return 0


def cmd_audit_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.store import audit

    ws = ctx.open_workspace()
    with ws.engine.connect() as conn:
        problems = audit.verify(conn)
        count = conn.exec_driver_sql("SELECT count(*) FROM audit").scalar_one()
    if not problems:
        ctx.out(ctx.msg("cli.audit_ok", count=count))
        return 0
    for p in problems:
        print(ctx.msg("cli.audit_problem", entry=p.entry_id if p.entry_id is not None else "-",
                      problem=ctx.msg("audit." + p.problem)), file=ctx.stderr)
    print(ctx.msg("cli.audit_broken", count=len(problems)), file=ctx.stderr)
    return 2


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services import demo

    ws = ctx.open_workspace()
    summary = demo.generate(ws, args.households, seed=args.seed)
    ctx.out(ctx.msg("cli.demo_done", households=args.households, records=getattr(summary, "records", "?")))
    return 0


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services import exchange

    target = Path(args.output) if args.output else None
    if target is None and not args.plain:
        raise CaseAppError("export.plain_needed", None)
    ws = ctx.open_workspace()
    passphrase = None if args.plain else ctx.secret("CASEAPP_EXPORT_PASSPHRASE", "export.prompt_passphrase",
                                                    confirm=True)
    count = exchange.export_to(ws, target, ctx.stdout, passphrase=passphrase)
    if target is not None:
        ctx.out(ctx.msg("export.done_sealed" if passphrase else "export.done", count=count))
    return 0


def cmd_ledger(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services import xlsx

    ws = ctx.open_workspace()
    password = None if args.plain else ctx.secret("CASEAPP_EXPORT_PASSPHRASE", "export.prompt_passphrase",
                                                  confirm=True)
    target = Path(args.output)
    ledger = xlsx.save_ledger(ws, args.kind, target, password=password, org_prefix=args.org or "",
                              category=args.category)
    ctx.out(ctx.msg("ledger.done_plain" if args.plain else "ledger.done", title=ledger.title, rows=len(ledger.rows),
                    file=str(target)))
    return 0


def _rejected(ctx: CliContext, rejected: ImportRejected, by_column: bool = False) -> int:
    """Every problem of a refused import, one line each (row, and for a ledger its column), then
    the summary line; exit status 1."""
    for p in rejected.problems:
        where = (ctx.msg("ledger.cell", line=p.line, column=p.field) if by_column and p.field
                 else ctx.msg("import.row", line=p.line))
        print(f"{where}: {render(p.error, ctx.lang)}", file=ctx.stderr)
    return ctx.fail(rejected)


def cmd_ledger_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services import exchange, ledger_import, xlsx

    ws = ctx.open_workspace()
    path = Path(args.file)
    sealed = xlsx.is_sealed_workbook(path)
    password = ctx.secret("CASEAPP_EXPORT_PASSPHRASE", "import.prompt_passphrase") if sealed else None
    try:
        summary = ledger_import.import_ledger_file(ws, path, org_code=args.org or "", password=password)
    except exchange.ImportRejected as rejected:
        return _rejected(ctx, rejected, by_column=True)
    ctx.out(ctx.msg("ledger.imported", households=summary.households, members=summary.members))
    return 0


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services import exchange

    ws = ctx.open_workspace()
    path = Path(args.file)
    sealed = exchange.is_sealed(path)
    passphrase = ctx.secret("CASEAPP_EXPORT_PASSPHRASE", "import.prompt_passphrase") if sealed else None
    try:
        summary = exchange.import_file(ws, path, passphrase)
    except exchange.ImportRejected as rejected:
        return _rejected(ctx, rejected)
    ctx.out(ctx.msg("import.done", created=summary.created, updated=summary.updated,
                    unchanged=summary.unchanged))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caseapp", description=message("cli.description", detect_language()))
    parser.add_argument("--version", action="version", version=f"caseapp {__version__}")
    parser.add_argument("--workspace", type=Path, default=None, help=message("cli.help.workspace", "en"))
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("init", help="create a new encrypted workspace")
    p.add_argument("--user", default="", help="your user name (recorded as the author of your changes)")
    p.set_defaults(handler=cmd_init)
    sub.add_parser("passwd", help="change the workspace passphrase").set_defaults(handler=cmd_passwd)
    sub.add_parser("status", help="show the workspace's state").set_defaults(handler=cmd_status)
    p = sub.add_parser("audit", help="audit trail tools")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="check the audit trail's hash chain").set_defaults(handler=cmd_audit_verify)
    p = sub.add_parser("demo", help="fill the workspace with realistic Guangzhou demo data")
    p.add_argument("--households", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=cmd_demo)
    p = sub.add_parser("export", help="export every record as JSON Lines, sealed with an export passphrase "
                                      "(CASEAPP_EXPORT_PASSPHRASE or a prompt)")
    p.add_argument("--format", choices=["jsonl"], default="jsonl")
    p.add_argument("-o", "--output", default=None)
    p.add_argument("--plain", action="store_true", help="write plain text (for another system); to stdout without -o")
    p.set_defaults(handler=cmd_export)
    p = sub.add_parser("ledger", help="an Excel ledger: assistance (救助对象台账) or notice (公示名单), "
                                      "password-protected with an export passphrase")
    p.add_argument("kind", choices=["assistance", "notice"])
    p.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    p.add_argument("--org", default="", help="only this division (a district, street or community code)")
    p.add_argument("--category", default=None, help="only this assistance category (e.g. dibao)")
    p.add_argument("--plain", action="store_true", help="no password (a notice to be posted, say)")
    p.set_defaults(handler=cmd_ledger)
    p = sub.add_parser("ledger-import", help="import households and members from an Excel ledger (all or nothing)")
    p.add_argument("file")
    p.add_argument("--org", default="", help="the grid or community code for rows without one")
    p.set_defaults(handler=cmd_ledger_import)
    p = sub.add_parser("import", help="import records from a JSON Lines file (all or nothing)")
    p.add_argument("file")
    p.set_defaults(handler=cmd_import)

    for ep in entry_points(group="caseapp.commands"):
        register: Callable[[Any], None] = ep.load()
        register(sub)
    return parser


def launch_gui(workspace: Path | None) -> int:
    for ep in entry_points(group="caseapp.gui"):
        gui_main: Callable[[Path | None], int] = ep.load()
        return gui_main(workspace)
    print(message("cli.no_gui", detect_language()), file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return launch_gui(args.workspace)
    from caseapp.store.workspace import default_dir

    ctx = CliContext(workspace_dir=args.workspace or default_dir(), lang=detect_language())
    handler: Handler = args.handler
    try:
        return handler(args, ctx)
    except CaseAppError as error:
        return ctx.fail(error)
    except KeyboardInterrupt:
        return 130
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
