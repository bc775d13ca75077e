"""The sync commands themselves (``sync.cli`` registers them and imports this module only when one
of them runs: the HTTP client, pydantic and the sync engine cost a command like ``caseapp status``
nothing).
"""

from __future__ import annotations

import argparse
import functools
import getpass
import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from caseapp.messages import message
from caseapp.release import __version__
from caseapp.services import display
from caseapp.store.faults import WorkspaceBusyError
from caseapp.store.lock import sync_lock
from caseapp.store.tables import HELD, OUTBOX_STATES, REJECTED, JournalEntry
from sync import conflicts, run, settings, urls
from sync.client import RetryPolicy
from sync.errors import unusable_answer
from sync.outbox import CONFLICT_ENTITY

if TYPE_CHECKING:
    from caseapp.cli import CliContext

Handler = Callable[[argparse.Namespace, "CliContext"], int]


def _reads_answers(handler: Handler) -> Handler:
    """A command that talks to the server: an answer that fails to parse (a proxy's page, another
    version's JSON) becomes the one-line BadAnswerError instead of a parser's traceback."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace, ctx: CliContext) -> int:
        try:
            return handler(args, ctx)
        except ValueError as error:  # json's and pydantic's errors are ValueErrors
            url = getattr(args, "url", None) or ctx.open_workspace().get_setting(settings.SERVER_URL) or ""
            bad = unusable_answer(error, url)
            if bad is None:
                raise
            raise bad from error

    return wrapped


def _retry() -> RetryPolicy:
    # Quick to give up on the command line: a person is waiting for the one-line answer.
    attempts = int(os.environ.get("CASEAPP_SYNC_ATTEMPTS", "4"))
    return RetryPolicy(attempts=max(1, attempts), base_s=0.5, cap_s=4.0)


def cmd_login(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.open_workspace()
    urls.check_login_url(ws, args.url, args.insecure_http)  # before asking for a password it would expose
    password = os.environ.get("CASEAPP_PASSWORD")
    if password is None:
        password = getpass.getpass(f"{args.user}@{args.url}: ")
    out = run.login(ws, args.url, args.user, password, ca_file=args.ca_file, retry=_retry(),
                    insecure_http=args.insecure_http)
    ctx.out(message("sync.logged_in", ctx.lang, user=out.user, role=out.role, url=args.url))
    in_clear = ws.get_setting(urls.INSECURE_HTTP)
    if in_clear:
        print(message("sync.insecure_http_warning", ctx.lang, url=in_clear), file=ctx.stderr)
    return 0


#: a database locked by another program: tried again this many times, after this many seconds (and twice that)
DATABASE_BUSY = "workspace.busy"
BUSY_RETRIES = 2
BUSY_PAUSE_S = 1.0


def cmd_sync(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.open_workspace()
    # On a terminal, one line rewritten in place says how far a long (first) sync has got; in a
    # script or a log, nothing but the result.
    live = ctx.stderr.isatty()

    def progress(stage: str, done: int, total: int) -> None:
        text = message(f"sync.progress_{stage}", ctx.lang, done=f"{done:,}", total=f"{total:,}" if total else "?")
        print(f"\r{text}\x1b[K", end="", file=ctx.stderr, flush=True)

    # One sync of a workspace at a time, whoever runs it (the desktop app takes the same lock).
    with sync_lock(ws.path):
        for attempt in range(BUSY_RETRIES + 1):
            client = run.connect(ws, retry=_retry())
            try:
                report = run.sync(ws, client, progress=progress if live else None)
                break
            except WorkspaceBusyError as busy:
                # The database was locked a moment by another program opening the workspace (a
                # second sync about to stop, the desktop app): a sync is safe to run again, and
                # this one holds the sync lock, so it tries again shortly rather than give up.
                if busy.key != DATABASE_BUSY or attempt == BUSY_RETRIES:
                    raise
                time.sleep(BUSY_PAUSE_S * (attempt + 1))
            finally:
                client.close()
                if live:
                    print("\r\x1b[K", end="", file=ctx.stderr, flush=True)
    t = report.push
    if report.forked:
        ctx.out(message("sync.forked", ctx.lang))
    if report.resynced:
        ctx.out(message("sync.resync", ctx.lang))
    if t.held:
        ctx.out(message("sync.held", ctx.lang, count=t.held))
    if t.clamped:
        ctx.out(message("sync.clamped", ctx.lang))
    ctx.out(message("sync.done", ctx.lang, pushed=t.pushed, conflicts=t.conflicts, rejected=t.rejected,
                    pulled=report.pulled, removed=report.removed, open_conflicts=report.open_conflicts))
    if report.update_available:
        ctx.out(message("sync.update_available", ctx.lang, latest=report.latest_client, release=__version__))
    return 0


def cmd_conflicts(args: argparse.Namespace, ctx: CliContext) -> int:
    found = conflicts.list_open(ctx.open_workspace())
    if args.format == "json":
        ctx.out(json.dumps([c.as_json() for c in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        ctx.out(message("sync.conflicts_none", ctx.lang))
    for c in found:
        def shown(value: Any, c: Any = c) -> str:
            return _show(display.value_text(c.entity, c.field, value, ctx.lang) if value is not None else None)

        ctx.out(message("sync.conflict_line", ctx.lang, id=c.id, entity=display.entity_name(c.entity, ctx.lang),
                        row_id=c.row_id, field=display.field_name(c.entity, c.field, ctx.lang),
                        winner=shown(c.winner), winner_author=c.winner_author, loser=shown(c.loser),
                        loser_author=c.loser_author, base=shown(c.base)))
    return 0


def cmd_resolve(args: argparse.Namespace, ctx: CliContext) -> int:
    ws = ctx.open_workspace()
    conflicts.resolve(ws, args.id, keep=args.keep, value=args.value)
    ctx.out(message("sync.resolved", ctx.lang, id=args.id))
    return 0


def cmd_outbox(args: argparse.Namespace, ctx: CliContext) -> int:
    """What is waiting, held or refused, each change with the value it carries: a refused change can
    be typed in again, or kept (``--format json`` writes every entry with its value as it was sent)."""
    ws = ctx.open_workspace()
    with ws.read() as session:
        entries = list(session.scalars(select(JournalEntry)
                                       .where(JournalEntry.state.in_((*OUTBOX_STATES, REJECTED, HELD)))
                                       .order_by(JournalEntry.seq)))
    rows: list[dict[str, Any]] = [
        {"seq": e.seq, "state": e.state, "entity": e.entity, "row_id": e.row_id, "op": e.op, "field": e.field,
         "value": json.loads(e.value), "reason": e.reason, "detail": json.loads(e.reason_detail or "null"),
         "reason_text": display.refusal(e.entity, e.reason, e.reason_detail, ctx.lang) or None}
        for e in entries
    ]
    if args.format == "json":
        ctx.out(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        ctx.out(message("sync.outbox_empty", ctx.lang))
    for r in rows:
        ctx.out(message("sync.outbox_line", ctx.lang, seq=r["seq"], state=message(f"sync.outbox_state.{r['state']}",
                        ctx.lang), entity=_entity(r["entity"], ctx.lang), row_id=r["row_id"],
                        change=_change(r["entity"], r["op"], r["field"], ctx.lang),
                        value=display.change_text(r["entity"], r["op"], r["field"], r["value"], ctx.lang,
                                                  full=r["state"] in (REJECTED, HELD)),
                        reason=r["reason_text"] or ""))
    return 0


def _entity(entity: str, lang: str) -> str:
    return message("sync.outbox_resolution", lang) if entity == CONFLICT_ENTITY else display.entity_name(entity, lang)


def _change(entity: str, op: str, field_name: str | None, lang: str) -> str:
    if op == "create":
        return message("sync.outbox_new_record", lang)
    if entity == CONFLICT_ENTITY:
        return message("sync.outbox_resolution", lang)
    return display.field_name(entity, field_name, lang)


def _show(value: str | None) -> str:
    return "∅" if value is None else f"“{value}”"


# What ``sync.cli`` runs: commands that read server answers turn unparsable ones into one line.
login = _reads_answers(cmd_login)
sync_now = _reads_answers(cmd_sync)
