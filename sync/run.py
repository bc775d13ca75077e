"""One sync of one workspace: attachments, push, then pull.

Push comes before pull so the server merges this device's edits against what it holds, and the
pull that follows brings back the merged result (and any conflict records) in one go. Every step
commits as it goes (verdicts per batch, cursor per page), so a sync interrupted at any point —
network lost, laptop closed, process killed — resumes without re-sending acknowledged work.

Every local write goes through a ``Writer``: the desktop client passes one that queues the write
on its single writer thread and waits for it, and runs the sync itself elsewhere, so a slow network
never holds the writer: a caseworker's save waits at most for one page to be applied, not for the
whole sync. The command line writes in place.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import func, select

from caseapp.domain import Attachment
from caseapp.domain.types import format_datetime
from caseapp.errors import WorkspaceError
from caseapp.release import __version__
from caseapp.store.tables import OUTBOX_STATES, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace
from caseapp.store.writer import Writer, in_place
from sync import apply, outbox, settings, trail, urls
from sync import protocol as p
from sync.client import RetryPolicy, SyncClient
from sync.errors import CursorGoneError, NotLoggedInError, RefusedError, SyncError

PUSH_BATCH = 500
#: a page of a whole-scope pull bringing at most 1/FEW of its page size in records is indexed as
#: it is applied, not left to the rebuild at the end (``pull``)
FEW = 10

#: progress(stage, done, total): stage is "push" (operations), "pull" (server changes),
#: "attachments" (files) or "index" (rebuilding search after a first sync); total 0 when not known
Progress = Callable[[str, int, int], None]


@dataclass
class SyncReport:
    push: outbox.PushTally = field(default_factory=outbox.PushTally)
    pulled: int = 0
    removed: int = 0
    pages: int = 0
    resynced: bool = False
    open_conflicts: int = 0
    #: this workspace turned out to be a copy of another device's (a restored backup) and now syncs
    #: as a device of its own, its changes sent again
    forked: bool = False
    #: the newest program release, as the server names it ("" if it names none)
    latest_client: str = ""

    @property
    def update_available(self) -> bool:
        return p.older(__version__, self.latest_client)


def login(ws: Workspace, url: str, user: str, password: str, *, ca_file: str | None = None,
          retry: RetryPolicy | None = None, insecure_http: bool = False) -> p.LoginOut:
    """Register this device with the server; the token is kept inside the encrypted workspace.
    Refuses an http:// address that would send the password in clear (``sync.urls``)."""
    in_clear = urls.check_login_url(ws, url, insecure_http)
    client = SyncClient(url, ca_file=ca_file, schema_version=ws.schema_version, retry=retry)
    try:
        client.handshake()
        out = client.login(user, password, ws.device_id, device_name=socket.gethostname())
    finally:
        client.close()
    previous = ws.get_setting(settings.SERVER_URL)
    with ws.write_engine.begin() as conn:
        if previous not in (None, url.rstrip("/")):
            # Another server: its positions mean nothing here, so pull everything again, and send
            # it the whole audit trail.
            settings.write_setting(conn, settings.CURSOR, "")
            settings.write_setting(conn, trail.SENT, 0)
        for key, value in ((settings.SERVER_URL, url.rstrip("/")), (settings.TOKEN, out.token),
                           (settings.USER, out.user), (settings.ROLE, out.role), (settings.SCOPES, out.scopes),
                           (settings.CA_FILE, ca_file), ("user.name", out.user), (urls.INSECURE_HTTP, in_clear)):
            settings.write_setting(conn, key, value)
    # The server records the authenticated user as author; use the same name locally.
    ws.actor = out.user
    return out


def connect(ws: Workspace, *, retry: RetryPolicy | None = None,
            timeout: tuple[float, float] = (5.0, 60.0)) -> SyncClient:
    url = ws.get_setting(settings.SERVER_URL)
    token = ws.get_setting(settings.TOKEN)
    if not url or not token:
        raise NotLoggedInError()
    return SyncClient(url, token, ca_file=ws.get_setting(settings.CA_FILE), schema_version=ws.schema_version,
                      retry=retry, timeout=timeout)


def sync(ws: Workspace, client: SyncClient, *, progress: Progress | None = None,
         page_size: int = p.DEFAULT_PAGE, push_batch: int = PUSH_BATCH, write: Writer = in_place) -> SyncReport:
    report = SyncReport()
    say = progress or (lambda stage, done, total: None)
    # No separate handshake: every request carries the protocol and schema versions (a client too
    # old gets 426 on its first call) and every answer the server's clock, so a one-field edit
    # costs two round trips (push, pull) and a sync with nothing to send one.
    upload_attachments(ws, client, say)
    release_held(ws, client, write)
    push(ws, client, report, say, push_batch, write)
    pull(ws, client, report, say, page_size, write)
    write(ws.persist_clock)
    write(lambda: ws.set_setting(settings.LAST_SYNC, format_datetime(dt.datetime.now(dt.UTC))))
    report.latest_client = client.latest_client
    write(lambda: ws.set_setting(settings.LATEST_CLIENT, client.latest_client))
    with ws.read() as session:
        report.open_conflicts = session.scalar(select(func.count()).select_from(ConflictRecord)
                                               .where(ConflictRecord.status == "open")) or 0
    return report


DIVERGED = "sync.device_diverged"


def fork(ws: Workspace, client: SyncClient, write: Writer = in_place) -> str:
    """Register this workspace as a new device, continuing the audit trail from the last entry the
    server acknowledged to it; the original device (if it still exists) keeps its own id."""
    out = client.fork(int(ws.get_setting(trail.SENT, 0) or 0))

    def switch() -> None:
        ws.become_device(out.device_id)
        ws.set_setting(settings.TOKEN, out.token)

    write(switch)
    client.token = out.token
    return out.device_id


def release_held(ws: Workspace, client: SyncClient, write: Writer = in_place) -> int:
    """Changes held for an older server go out again once it knows their fields: one handshake,
    and only while something is held."""
    if not outbox.held_count(ws):
        return 0
    fields = client.handshake().fields
    return write(partial(outbox.release_known, ws, fields)) if fields else 0


def push(ws: Workspace, client: SyncClient, report: SyncReport, say: Progress, batch: int,
         write: Writer = in_place) -> None:
    """Send the outbox in batches, the device's work on each overlapping the server's: while the
    server merges batch n + 1, this device commits the verdicts of batch n and reads, marks sent
    and builds batch n + 2 (read after batch n + 1's last entry, with the audit entries after those
    n + 1 carries: if the server takes fewer, they are read again). Batches still reach the server
    strictly one after another, in sequence order, so a create always arrives before the batches
    that build on it; a verdict is still committed only once it has arrived, and a push cut off
    anywhere leaves 'sent' entries that the server's ledger answers again."""
    total = outbox.pending_count(ws)
    audit_sent = int(ws.get_setting(trail.SENT, 0) or 0)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-push") as sender:

        def prepare(after_seq: int, audit_after: int) -> _Batch | None:
            entries = outbox.pending(ws, batch, after_seq=after_seq)
            audit = trail.unsent(ws, audit_after)
            if not entries and not audit:
                return None
            if entries:
                write(partial(outbox.mark_sent, ws, [e.seq for e in entries]))
            return _Batch(entries, after_seq, audit_after, [outbox.to_op(e) for e in entries], audit)

        def send(prepared: _Batch | None) -> _Sent | None:
            if prepared is None:
                return None
            return _Sent(prepared, sender.submit(client.push, prepared.ops, prepared.audit))

        inflight = send(prepare(0, audit_sent))
        while inflight is not None:
            sent = inflight.batch
            entries = sent.entries
            # The next batch as it will most likely be sent, built while the server works on this one.
            upcoming = prepare(sent.last_seq, sent.audit_through)
            try:
                answer = inflight.answer.result()
            except RefusedError as refused:
                if refused.key != DIVERGED or report.forked:
                    raise
                # A copy of this device (restored from a backup or a folder copy): the server holds
                # other work under its sequence numbers. Carry on as a device of its own and send
                # it all again.
                fork(ws, client, write)
                report.forked = True
                inflight = send(prepare(sent.after_seq, sent.audit_after))
                continue
            ws.observe_server_clock(answer.hlc)
            # Entries without a verdict (should not happen) stay queued; never loop on them.
            took_audit = answer.audit_ack != audit_sent
            if took_audit:
                audit_sent = answer.audit_ack
            # the server took none of the trail (it holds a newer one): never loop on it
            inflight = None
            if entries or took_audit:
                if upcoming is None or upcoming.audit_after != audit_sent:
                    upcoming = prepare(sent.last_seq, audit_sent)  # the server took another part of the trail
                inflight = send(upcoming)
            if entries:
                write(partial(outbox.record_verdicts, ws, entries, answer.verdicts, report.push))
            if took_audit:
                write(partial(ws.set_setting, trail.SENT, audit_sent))
            say("push", report.push.pushed, max(total, report.push.pushed))


@dataclass
class _Batch:
    """A push batch read from the outbox and marked sent: its entries, the outbox and audit
    positions it was read after, and what goes on the wire."""

    entries: list[JournalEntry]
    after_seq: int
    audit_after: int
    ops: list[p.PushOp]
    audit: list[p.AuditEntryIn]

    @property
    def last_seq(self) -> int:
        """Where the next batch is read from."""
        return self.entries[-1].seq if self.entries else self.after_seq

    @property
    def audit_through(self) -> int:
        """The audit position the server holds once it takes this batch's entries."""
        return self.audit[-1].seq if self.audit else self.audit_after


@dataclass
class _Sent:
    """A push batch on its way, and the answer to come."""

    batch: _Batch
    answer: Future[p.PushOut]


def pull(ws: Workspace, client: SyncClient, report: SyncReport, say: Progress, page_size: int,
         write: Writer = in_place) -> None:
    checked = False
    # The next page is fetched while this one is applied: the server's work and the local write
    # overlap. Pages are still applied strictly in order, each with its own cursor.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as fetcher:
        while True:
            cursor = ws.get_setting(settings.CURSOR, "") or ""
            queued = [p.RecordRef(**r) for r in ws.get_setting(settings.REFETCH, [])][:p.MAX_REFETCH]
            # A pull of the whole scope (first sync, re-pull) builds the search index once at the
            # end instead of page by page; so does one resuming such a pull.
            whole_scope = not cursor or bool(ws.get_setting(settings.INDEX_STALE, False))
            # This device's own accepted writes are not sent back to it (a first sync after typing
            # in or importing a ledger pulls none of it back), except while it pulls its scope again:
            # then every record it holds is marked to be sent again, or removed (``PullIn.own_through``).
            mine = None if ws.get_setting(settings.RESET, False) else outbox.acknowledged_through(ws)
            upcoming: Future[p.PullOut] = fetcher.submit(client.pull, cursor, page_size, queued, count=True,
                                                         standards=ws.standards_version(), own_through=mine)
            restarted = False
            done = total = 0
            while True:
                try:
                    page = upcoming.result()
                except CursorGoneError:
                    if report.resynced:
                        raise
                    write(lambda: apply.begin_reset(ws))
                    report.resynced = restarted = True
                    break
                if page.has_more:
                    upcoming = fetcher.submit(client.pull, page.cursor, page_size, [], own_through=mine)
                ws.observe_server_clock(page.hlc)
                if page.standards is not None:  # the administrator changed them since this device's copy
                    write(partial(ws.receive_standards, str(page.standards.get("version", "")),
                                  list(page.standards.get("rows") or [])))
                total = page.total if page.total is not None else total
                # (a page that brings few records for the log entries it covers is indexed as it
                # comes all the same, while nothing is stale: the first sync of a laptop that typed
                # in a ledger is sent only what the server made of it, and rebuilt every
                # household's keys for those few)
                index = not whole_scope or (len(page.rows) + len(page.removals) <= page_size // FEW
                                            and not ws.get_setting(settings.INDEX_STALE, False))
                tally = write(partial(apply.apply_page, ws, page, refetched=queued, index=index))
                queued = []
                report.pages += 1
                report.pulled += tally.upserted
                report.removed += tally.removed
                # A full page is page_size changes; the last one brings the count to the total.
                done = done + page_size if page.has_more else (max(done, total) if total else done + len(page.rows))
                say("pull", min(done, total) if total else done, total)
                if not page.has_more:
                    break
            if restarted:
                continue
            if ws.get_setting(settings.RESET, False):
                report.removed += write(lambda: apply.finish_reset(ws))
            if whole_scope:
                say("index", 0, 0)
                apply.rebuild_index_if_stale(ws, write)
            if ws.get_setting(settings.REFETCH, []):
                continue
            if page.scope_count is not None and not checked and apply.known_count(ws) != page.scope_count:
                # The device's copy and the server's scope disagree (a missed change, a restored
                # backup): pull the scope again rather than live with a silent difference.
                checked = True
                if not report.resynced:
                    write(lambda: apply.begin_reset(ws))
                    report.resynced = True
                    continue
            return


def upload_attachments(ws: Workspace, client: SyncClient, say: Progress) -> None:
    """Content before the records that point at it: the server refuses attachment records whose
    content it does not hold."""
    digests: list[str] = []
    # Only the attachment creates, and only their values: reading the whole outbox as journal
    # entries held all of it at once (a 21,788-entry first push grew by 117 MB here, before sending).
    with ws.read() as session:
        values = session.scalars(select(JournalEntry.value).where(JournalEntry.state.in_(OUTBOX_STATES),
                                                                  JournalEntry.entity == Attachment.entity,
                                                                  JournalEntry.op == "create"))
        for value in values:
            digest = json.loads(value).get("digest")
            if isinstance(digest, str) and ws.attachments.has(digest):
                digests.append(digest)
    missing = client.missing_attachments(sorted(set(digests)))
    for n, digest in enumerate(missing, start=1):
        client.upload_attachment(digest, ws.attachments.get(digest))
        say("attachments", n, len(missing))


def fetch_attachment(ws: Workspace, client: SyncClient, digest: str) -> bytes:
    """An attachment's content, downloaded from the server the first time it is opened; stored
    encrypted in the workspace's attachment store from then on."""
    if ws.attachments.has(digest):
        return ws.attachments.get(digest)
    with ws.read() as session:
        size = session.scalar(select(Attachment.size).where(Attachment.digest == digest)) or 0
    data = client.download_attachment(digest, size)
    if ws.attachments.put(data) != digest:
        raise WorkspaceError("workspace.attachment_corrupt", digest=digest)
    return data


__all__ = ["Progress", "SyncError", "SyncReport", "connect", "fetch_attachment", "login", "sync"]
