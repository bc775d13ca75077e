"""The `caseapp` command line.

With no subcommand it starts the desktop app (found through the ``caseapp.gui`` entry point, so the
core never imports Qt). Subcommands work headless for administrators, scripts and tests. Commands
that need HTTP (login, sync …) are plugins registered under the ``caseapp.commands`` entry point.

Passphrases come from CASEAPP_PASSPHRASE or a prompt; errors are printed in the user's language
(CASEAPP_LANG, else the system locale; Chinese by default) as one clear line, never a traceback,
and the exit status says which kind of failure it was (``Exit``, listed in ``--help`` and in
docs/deployment.md). An error nobody foresaw is the one exception: its details go to a log file
(``caseapp.errorlog``, without personal data) and the line says where.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import locale
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

from caseapp import __version__, errorlog
from caseapp.errors import CaseAppError, KeyFileError
from caseapp.messages import cli_help, message, render

if TYPE_CHECKING:
    from caseapp.services.exchange import ImportRejected
    from caseapp.store.workspace import Workspace

# The store (SQLAlchemy, SQLCipher, Alembic) is imported inside the commands that need it, so the
# desktop app, which starts through this module, shows its first window sooner.

Handler = Callable[[argparse.Namespace, "CliContext"], int]
#: the statistics tables a report can hold (caseapp.services.statistics.TABLES), named here so the
#: command line's start does not import the services
_STAT_TABLES = ("caseload", "changes", "reviews", "visits", "events", "referrals", "disasters", "calls")


class Exit(IntEnum):
    """The exit statuses of ``caseapp``, which scripts can rely on. An error names its row with an
    ``exit_status`` class attribute (e.g. ``"BUSY"``); any other CaseAppError is REFUSED. Each row's
    meaning is the message ``cli.exit.<name>``, shown by ``--help``; docs/deployment.md lists them."""

    OK = 0
    REFUSED = 1  # refused or invalid: wrong passphrase, bad input file, refused by the server
    USAGE = 2  # cannot run as asked: bad arguments, no terminal to ask for a passphrase on
    BUSY = 3  # another program holds the workspace: a sync of it running, its database locked
    OFFLINE = 4  # the sync server cannot be reached, failed, or did not answer as one: try later
    DAMAGED = 5  # the workspace's database, key file or audit trail is damaged
    DISK_FULL = 6  # no space left on the disk
    DISK_ERROR = 7  # the disk refused a read or write (I/O error, read-only, file too large)
    UNEXPECTED = 70  # an error nobody foresaw (a bug): details in the error log (EX_SOFTWARE)
    INTERRUPTED = 130  # stopped with Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  # the output was closed before it was all written (`| head`): 128 + SIGPIPE


def exit_status(error: CaseAppError) -> Exit:
    declared = getattr(error, "exit_status", None)
    if isinstance(declared, str):
        return Exit[declared]
    if isinstance(error, KeyFileError) and error.key != "workspace.keyfile_missing":
        return Exit.DAMAGED  # present but corrupt or tampered with
    return Exit.REFUSED


class UsageError(CaseAppError):
    """The command cannot be carried out as it was run (exit status USAGE)."""

    exit_status: ClassVar[str] = "USAGE"


def detect_language() -> str:
    explicit = os.environ.get("CASEAPP_LANG")
    if explicit in ("zh", "en"):
        return explicit
    # Chinese is the default; English only where the locale names another language. A C or POSIX
    # locale names none (Python reads C.UTF-8 as en_US, so it must not get that far).
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (os.environ.get(var) or "").lower()
        if value in ("c", "posix") or value.startswith(("c.", "posix.")):
            return "zh"
        if value:
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
        with contextlib.suppress(OSError, ValueError):  # stderr closed too: the status still tells
            print(render(error, self.lang), file=self.stderr)
        return exit_status(error)

    def passphrase(self, prompt_key: str = "cli.prompt_passphrase", confirm: bool = False) -> str:
        return self.secret("CASEAPP_PASSPHRASE", prompt_key, confirm=confirm)

    def secret(self, variable: str, prompt_key: str, confirm: bool = False) -> str:
        """From the environment variable, or asked for (twice with ``confirm``) on the terminal."""
        value = os.environ.get(variable)
        if value is not None:
            return value
        if not can_prompt():
            # getpass would fall back to reading stdin (a warning, then EOFError or a line of
            # whatever was piped in): say instead how a script gives the passphrase.
            raise UsageError("cli.no_terminal", None, variable=variable)
        try:
            value = getpass.getpass(self.msg(prompt_key))
            if confirm and getpass.getpass(self.msg("cli.prompt_passphrase_again")) != value:
                raise CaseAppError("workspace.passphrase_mismatch", "passphrase")
        except EOFError:  # Ctrl-D at the prompt
            raise CaseAppError("cli.prompt_cancelled", None) from None
        return value

    def require_workspace(self) -> None:
        from caseapp.store.paths import exists

        if not exists(self.workspace_dir):
            raise CaseAppError("workspace.not_found", None, path=str(self.workspace_dir))

    def open_workspace(self, passphrase: str | None = None) -> Workspace:
        from caseapp.store.workspace import Workspace

        if self._workspace is None:
            self.require_workspace()
            self._workspace = Workspace.open(self.workspace_dir,
                                             self.passphrase() if passphrase is None else passphrase)
            from caseapp.services import one_off_amounts

            one_off_amounts.on_open(self._workspace)  # grants typed as monthly amounts become payments
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            workspace, self._workspace = self._workspace, None
            workspace.close()


def can_prompt() -> bool:
    """Whether getpass has a terminal to ask on: stdin, or (POSIX) the controlling terminal."""
    with contextlib.suppress(AttributeError, ValueError):
        if sys.stdin is not None and sys.stdin.isatty():
            return True
    if os.name == "nt":
        return False
    try:
        fd = os.open("/dev/tty", os.O_RDWR | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return False
    os.close(fd)
    return True


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
    new = ctx.secret("CASEAPP_NEW_PASSPHRASE", "cli.prompt_new_passphrase", confirm=True)
    ws.change_passphrase(new)
    ctx.out(ctx.msg("cli.passphrase_changed"))
    return 0


def cmd_status(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services.status import glance, workspace_status

    ctx.require_workspace()
    passphrase = ctx.passphrase()
    # read straight from the file; a workspace of another schema is opened the full way (migrated)
    status = glance(ctx.workspace_dir, passphrase) or workspace_status(ctx.open_workspace(passphrase))
    colon = "：" if ctx.lang == "zh" else ": "
    for key, value in status.items():
        ctx.out(f"{ctx.msg('cli.status.' + key)}{colon}{value}")
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
    return Exit.DAMAGED


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


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.errors import ValidationError
    from caseapp.services import monthly_report, statistics

    today = dt.date.today()
    try:
        month = statistics.Month.parse(args.month) if args.month else statistics.Month.of(today).shift(-1)
    except ValueError:
        raise ValidationError("stats.month_invalid", None) from None
    keys = args.table or [spec.key for spec in statistics.TABLES]
    ws = ctx.open_workspace()
    password = None if args.plain else ctx.secret("CASEAPP_EXPORT_PASSPHRASE", "export.prompt_passphrase",
                                                  confirm=True)
    target = Path(args.output)
    sheets = monthly_report.save_report(ws, keys, target, scope=(args.org,) if args.org else None, month=month,
                                        today=today, password=password)
    ctx.out(ctx.msg("report.done_plain" if args.plain else "report.done", sheets=sheets, month=month.text(ctx.lang),
                    file=str(target)))
    return 0


def _rejected(ctx: CliContext, rejected: ImportRejected, by_column: bool = False) -> int:
    """Every problem of a refused import, one line each (row, and for a ledger its column), then
    the summary line; a single problem and the summary make one line. Exit status REFUSED."""
    lines = []
    for p in rejected.problems:
        where = (ctx.msg("ledger.cell", line=p.line, column=p.field) if by_column and p.field
                 else ctx.msg("import.row", line=p.line))
        lines.append((where, render(p.error, ctx.lang)))
    if len(lines) == 1:
        (where, problem), = lines
        print(ctx.msg("cli.rejected_one", where=where, problem=problem), file=ctx.stderr)
        return exit_status(rejected)
    for where, problem in lines:
        print(f"{where}: {problem}", file=ctx.stderr)
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
    except zipfile.BadZipFile:  # a .xls, a CSV, a PDF … named as the ledger
        raise CaseAppError("cli.not_a_workbook", None, path=str(path)) from None
    ctx.out(ctx.msg("ledger.imported", households=summary.households, members=summary.members))
    return 0


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from caseapp.services import exchange

    ws = ctx.open_workspace()
    path = Path(args.file)
    sealed = exchange.is_sealed(path)
    passphrase = ctx.secret("CASEAPP_EXPORT_PASSPHRASE", "import.prompt_passphrase") if sealed else None
    try:
        summary = exchange.import_file(ws, path, passphrase, replace_newer=args.replace_newer)
    except exchange.ImportRejected as rejected:
        return _rejected(ctx, rejected)
    ctx.out(ctx.msg("import.done", created=summary.created, updated=summary.updated,
                    unchanged=summary.unchanged))
    if summary.kept_newer:
        ctx.out(ctx.msg("import.kept_newer", count=summary.kept_newer))
    return 0


def exit_table(lang: str) -> str:
    """The exit statuses and what each means, for --help."""
    rows = [f"  {int(code):>3}  {message('cli.exit.' + code.name.lower(), lang)}" for code in Exit]
    return "\n".join([message("cli.exit.heading", lang), *rows])


def build_parser() -> argparse.ArgumentParser:
    lang = detect_language()
    parser = argparse.ArgumentParser(prog="caseapp", description=message("cli.description", lang),
                                     epilog=exit_table(lang), formatter_class=argparse.RawDescriptionHelpFormatter)
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
    p = sub.add_parser("report", help="the monthly statistics (统计月报) as an Excel workbook, a sheet per table")
    p.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    p.add_argument("--month", default=None, help="the month, YYYY-MM (default: last month)")
    p.add_argument("--org", default="", help="only this org unit (a district, street, community or grid code)")
    p.add_argument("--table", action="append", choices=_STAT_TABLES,
                   help="only this table (repeatable; default: all)")
    p.add_argument("--plain", action="store_true", help="no password (the figures hold no personal data)")
    p.set_defaults(handler=cmd_report)
    p = sub.add_parser("ledger-import", help="import households and members from an Excel ledger (all or nothing)")
    p.add_argument("file")
    p.add_argument("--org", default="", help="the grid or community code for rows without one")
    p.set_defaults(handler=cmd_ledger_import)
    p = sub.add_parser("import", help="import records from a JSON Lines file (all or nothing)")
    p.add_argument("file")
    p.add_argument("--replace-newer", action="store_true",
                   help="also overwrite records changed in this workspace after the file was made")
    p.set_defaults(handler=cmd_import)

    for register in plugins("caseapp.commands"):
        register(sub)
    if lang == "zh":
        cli_help.to_chinese(parser)
    return parser


#: The plugins pyproject.toml declares as entry points, named here as well: a frozen bundle
#: (PyInstaller) carries no distribution metadata, so ``entry_points()`` finds none there and
#: ``sync``/``login`` and the GUI would vanish. tests/install checks the two lists agree.
BUILTIN_PLUGINS: dict[str, dict[str, str]] = {
    "caseapp.commands": {"sync": "sync.cli:register"},
    "caseapp.gui": {"main": "ui.app:main"},
}


def plugins(group: str) -> list[Callable[..., Any]]:
    """The group's plugins: those installed distributions declare, then the built-in ones not
    among them. A built-in whose package is not installed (a server without ``ui``) is skipped."""
    found = {ep.name: ep for ep in entry_points(group=group)}
    for name, value in BUILTIN_PLUGINS.get(group, {}).items():
        found.setdefault(name, EntryPoint(name, value, group))
    loaded: list[Callable[..., Any]] = []
    for ep in found.values():
        try:
            loaded.append(ep.load())
        except ModuleNotFoundError as error:
            if error.name is None or error.name != ep.module.split(".")[0]:
                raise
    return loaded


def launch_gui(workspace: Path | None) -> int:
    for gui_main in plugins("caseapp.gui"):
        return int(gui_main(workspace))
    print(message("cli.no_gui", detect_language()), file=sys.stderr)
    return Exit.USAGE


def from_os_error(error: OSError, ctx: CliContext) -> CaseAppError | None:
    """The one-line error for a file the command could not use; None if it is not one we know."""
    from caseapp.store import faults

    fault = faults.from_os_error(error, ctx.workspace_dir)
    if fault is not None:
        return fault
    path = Path(str(error.filename or ""))
    if path.name.startswith(".") and path.suffix == ".tmp":  # caseapp.fileio's temporary file
        path = path.parent
    keys = {FileNotFoundError: "cli.file_not_found", PermissionError: "cli.permission_denied",
            IsADirectoryError: "cli.is_a_directory", NotADirectoryError: "cli.file_not_found"}
    key = keys.get(type(error))
    return CaseAppError(key, None, path=str(path)) if key and error.filename else None


def unexpected(error: BaseException, ctx: CliContext, command: str) -> int:
    """The last resort: one line saying where the details were written (no personal data)."""
    log = errorlog.write(error, command)
    if log is not None:
        line = ctx.msg("cli.unexpected", kind=type(error).__name__, log=str(log))
    else:
        line = ctx.msg("cli.unexpected_unlogged", kind=type(error).__name__)
    with contextlib.suppress(OSError, ValueError):
        print(line, file=ctx.stderr)
    return Exit.UNEXPECTED


def output_closed() -> int:
    """``caseapp outbox | head``: the reader has gone, so stop quietly, as other tools do."""
    # Python flushes stdout once more at exit; aim it at the null device so that fails no more.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return Exit.BROKEN_PIPE


def main(argv: list[str] | None = None) -> int:
    ctx = CliContext(workspace_dir=Path(), lang=detect_language())
    command = ""
    try:
        try:
            args = build_parser().parse_args(argv)  # exits 2 itself on bad arguments, 0 on --help
            if args.command is None:
                return launch_gui(args.workspace)
            from caseapp.store.paths import default_dir

            command = args.command
            ctx.workspace_dir = args.workspace or default_dir()
            handler: Handler = args.handler
            status = int(handler(args, ctx))
            ctx.stdout.flush()  # here, where a reader gone away (`| head`) can still be caught
            return status
        finally:
            ctx.close()
    except BrokenPipeError:
        return output_closed()
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except CaseAppError as error:
        return ctx.fail(error)
    except OSError as error:
        known = from_os_error(error, ctx)
        return ctx.fail(known) if known is not None else unexpected(error, ctx, command)
    except Exception as error:  # the last resort: never a traceback on the terminal
        return unexpected(error, ctx, command)


if __name__ == "__main__":
    sys.exit(main())
