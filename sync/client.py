"""The HTTP side of sync: one ``requests.Session``, a timeout on every call, retries with
exponential backoff and jitter, TLS verification always on (optionally against the organisation's
own CA file), zstd-compressed bodies, and typed errors for every refusal.

Answers are decoded here, not by urllib3 (which inflates gzip without any bound): ``_CappedAdapter``
reads each answer as it came off the wire and decodes it with ``sync.compress`` up to the route's
``ANSWER_LIMITS``, so a hostile server's 1 MB gzip bomb stops at the limit with one clear error
instead of taking gigabytes of the device's memory.

Retrying is safe for every call: pushes are deduplicated by the server's ledger (a replay gets the
stored verdicts), pulls and attachment reads are idempotent, and attachment chunks are written at
an explicit offset the server checks. A push whose answer is lost after it left (the connection
closed or timed out while waiting, the answer cut off) is not sent again straight away: the device
first asks for the verdicts the server stored for it (``/push/verdicts``, a digest of the batch
and a few hundred bytes), and sends the batch again only if the server does not hold it, so on a
slow line a lost answer costs one small exchange instead of the whole batch.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import requests
import requests.adapters
import urllib3.exceptions
from urllib3.response import BaseHTTPResponse

from caseapp.messages import CATALOGUE
from caseapp.release import __version__
from sync import compress, replay
from sync import protocol as p
from sync.errors import (
    AnswerTooLargeError,
    AnswerUndecodableError,
    BadAnswerError,
    CursorGoneError,
    OfflineError,
    RefusedError,
    RevokedError,
    ServerFailedError,
    TooOldError,
)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: what a reverse proxy answers when it lost the server's answer (502: the connection to it failed;
#: 504: it waited too long), which the server may well have taken and committed meanwhile: for a
#: call whose repeat would cost the whole body again, a lost answer (``AnswerLost``), not a retry
MAYBE_TAKEN = frozenset({502, 504})

KIB = 1 << 10
#: status lines, field names and error bodies around an answer's items; also the whole of any
#: answer not listed below (handshake, login, me, attachment status, every refusal)
ANSWER_ENVELOPE = 64 * KIB
#: the average size a pulled row may have. A demo district's rows are 0.7 KB; text fields of up to
#: 100,000 characters and open conflicts make some far larger, hence the margin (and a device asks
#: for DEFAULT_PAGE entries, so its pages may average three times this)
PULL_ROW = 8 * KIB
#: one verdict of a push answer (seq, verdict, reason key, position, conflict id)
VERDICT = 1 * KIB
#: one quoted hexadecimal digest and its comma
DIGEST = 96
#: The largest decoded answer taken from each route (paths under API_PREFIX): the protocol's item
#: limits times what one item can take. A pull page holds at most MAX_PAGE log entries plus the
#: MAX_REFETCH records asked for again (47 MiB in all); a push answer one verdict per operation.
ANSWER_LIMITS: dict[str, int] = {
    "/pull": (p.MAX_PAGE + p.MAX_REFETCH) * PULL_ROW + ANSWER_ENVELOPE,
    "/push": p.MAX_PUSH_OPS * VERDICT + ANSWER_ENVELOPE,
    "/push/verdicts": p.MAX_PUSH_OPS * VERDICT + ANSWER_ENVELOPE,
    "/attachments/missing": 1000 * DIGEST + ANSWER_ENVELOPE,  # MissingIn takes 1000 digests
    "/attachments/{digest}/content": p.ATTACHMENT_CHUNK + ANSWER_ENVELOPE,
}
#: parsing JSON makes each value (object, array, list item) a Python object of some 60 bytes; an
#: answer may hold at most one per this many bytes of its limit, so "{}," repeated cannot turn a
#: page into gigabytes of objects. Real pages have one per 25 bytes.
BYTES_PER_VALUE = 16


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$")


_ANSWER_MATCHERS = [(_pattern(template), limit) for template, limit in ANSWER_LIMITS.items()]


def answer_limit(url_path: str) -> int:
    """The decoded-size limit for the answer to a request for ``url_path`` (its query ignored)."""
    path = url_path.split("?", 1)[0]
    route = path[path.find(p.API_PREFIX) + len(p.API_PREFIX):] if p.API_PREFIX in path else path
    return next((limit for pattern, limit in _ANSWER_MATCHERS if pattern.match(route)), ANSWER_ENVELOPE)

#: What the server sends on success: JSON, or attachment content.
ANSWER_TYPES = frozenset({"application/json", "application/octet-stream"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_s: float = 0.5
    cap_s: float = 8.0

    def delay(self, attempt: int) -> float:
        # "Full jitter": spreads out the retries of many devices reconnecting at the same moment.
        return random.uniform(0, min(self.cap_s, self.base_s * (2 ** attempt)))


class SyncClient:
    def __init__(self, base_url: str, token: str | None = None, *, ca_file: str | None = None,
                 schema_version: int = 0, timeout: tuple[float, float] = (5.0, 60.0),
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self.session = requests.Session()
        self.session.verify = ca_file or True
        self.session.headers.update({
            "Accept-Encoding": compress.ACCEPT,
            p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION),
            "User-Agent": f"caseapp-sync/{p.PROTOCOL_VERSION}",
            p.CLIENT_HEADER: __version__,
        })
        if schema_version:  # tools without a workspace have no schema to declare
            self.session.headers[p.SCHEMA_HEADER] = str(schema_version)
        for scheme in ("http://", "https://"):
            self.session.mount(scheme, _CappedAdapter())
        #: bytes sent and received on the wire (compressed), for benchmarks and the progress line
        self.bytes_sent = 0
        self.bytes_received = 0
        self.round_trips = 0
        #: ask for the stored verdicts of a push whose answer was lost (False: send it again, as to
        #: a server without /push/verdicts, which this turns off on meeting one)
        self.ask_verdicts = True
        #: the oldest and newest program releases, as the server's last answer named them
        self.min_client = ""
        self.latest_client = ""

    def close(self) -> None:
        self.session.close()

    def _note_releases(self, response: requests.Response) -> None:
        self.min_client = _release_header(response, p.MIN_CLIENT_HEADER)
        self.latest_client = _release_header(response, p.LATEST_CLIENT_HEADER)

    # -- transport ----------------------------------------------------------------------------
    def _request(self, method: str, path: str, *, body: Any = None, raw: bytes | None = None,
                 params: dict[str, Any] | None = None, lost: bool = False) -> requests.Response:
        """One call, retried as the policy says. ``lost``: an exchange that failed after the request
        may have reached the server raises ``AnswerLost`` instead of being repeated, for the caller
        to find out what became of it."""
        url = f"{self.base_url}{p.API_PREFIX}{path}"
        headers: dict[str, str] = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data: bytes | None = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            headers["Content-Type"] = "application/json"
            if len(data) >= compress.MIN_SIZE:
                data = compress.encode(data, compress.ZSTD)
                headers["Content-Encoding"] = compress.ZSTD
        elif raw is not None:
            headers["Content-Type"] = "application/octet-stream"
        attempt = 0
        while True:
            try:
                response = self.session.request(method, url, data=data, params=params, headers=headers,
                                                timeout=self.timeout)
            except requests.exceptions.SSLError:
                raise RefusedError("sync.tls_failed", 0, url=self.base_url) from None
            except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                    requests.exceptions.InvalidURL):
                raise RefusedError("sync.bad_url", 0, url=self.base_url) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
                if lost and not _never_sent(error):
                    raise AnswerLost(OfflineError(self.base_url)) from None
                if attempt + 1 >= self.retry.attempts:
                    raise OfflineError(self.base_url) from None
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
                # The answer was cut off mid-body, or its compression torn with it: repeat the
                # call, which is as safe as after a lost connection (see the module docstring).
                if lost:
                    raise AnswerLost(BadAnswerError("sync.answer_cut", self.base_url)) from None
                if attempt + 1 >= self.retry.attempts:
                    raise BadAnswerError("sync.answer_cut", self.base_url) from None
            except AnswerUndecodableError as error:
                # Damaged on the way, most likely: worth another try; if it stays so, say that.
                if lost:
                    raise AnswerLost(error) from None
                if attempt + 1 >= self.retry.attempts:
                    raise
            else:
                self.round_trips += 1
                self._note_releases(response)
                self.bytes_sent += len(data or b"")
                self.bytes_received += _wire_size(response)
                if lost and response.status_code in MAYBE_TAKEN:
                    raise AnswerLost(_refusal(response, self.base_url))
                if response.status_code not in RETRY_STATUSES or attempt + 1 >= self.retry.attempts:
                    break
            self._sleep(self.retry.delay(attempt))
            attempt += 1
        if response.status_code >= 400:
            raise _refusal(response, self.base_url)
        if _media_type(response) not in ANSWER_TYPES:
            # A captive portal or proxy page, or some other server at this address: nothing that
            # could be read as an answer, and nothing a quick retry would change.
            raise BadAnswerError(_unexpected_page(response), self.base_url)
        return response

    def _raw_json(self, method: str, path: str, body: Any = None, *, lost: bool = False) -> bytes:
        """The answer's JSON text, decoded and bounded by the transport (see ``_CappedAdapter``)."""
        content = self._request(method, path, body=body, lost=lost).content
        limit = answer_limit(path)
        if compress.json_values(content) > max(limit // BYTES_PER_VALUE, 64):
            raise AnswerTooLargeError(limit)
        return content

    def _json(self, method: str, path: str, body: Any = None, *, lost: bool = False) -> Any:
        return json.loads(self._raw_json(method, path, body, lost=lost))

    # -- the API ------------------------------------------------------------------------------
    def handshake(self) -> p.HandshakeOut:
        return p.HandshakeOut.model_validate(self._json("GET", "/handshake"))

    def login(self, user: str, password: str, device_id: str, device_name: str = "") -> p.LoginOut:
        body = p.LoginIn(user=user, password=password, device_id=device_id, device_name=device_name)
        out = p.LoginOut.model_validate(self._json("POST", "/login", body.model_dump()))
        self.token = out.token
        return out

    def push(self, ops: list[p.PushOp], audit: list[p.AuditEntryIn] | None = None) -> p.PushOut:
        body: dict[str, Any] = {"ops": [op.model_dump(exclude_defaults=True) for op in ops]}
        if audit:
            body["audit"] = [e.model_dump() for e in audit]
        if not ops and not audit:
            return p.PushOut.model_validate(self._json("POST", "/push", body))
        ask = p.VerdictsIn(ranges=replay.ranges(op.seq for op in ops),
                           digest=replay.batch_digest((op.seq, replay.op_hash(op)) for op in ops),
                           audit_seq=audit[-1].seq if audit else 0, audit_hash=audit[-1].hash if audit else "")
        # Each try is the push or, after its answer was lost, the question what became of it; a
        # question answered "not held" leads to the push again and is not counted.
        asking = False
        tries = 0
        while True:
            try:
                if not asking:
                    return p.PushOut.model_validate(self._json("POST", "/push", body, lost=True))
                found = self._stored_verdicts(ask)
                if found is None or not found.held:
                    asking = False  # not taken (or not to be found out): send it again
                    continue
                return p.PushOut(verdicts=found.verdicts, hlc=found.hlc, audit_ack=found.audit_ack)
            except AnswerLost as gone:
                # Sent, maybe taken, answer lost: ask for the verdicts the server stored rather
                # than send the batch again (which its ledger would answer just the same).
                tries += 1
                if tries >= self.retry.attempts:
                    raise gone.error from None
                asking = True
                self._sleep(self.retry.delay(tries - 1))

    def _stored_verdicts(self, ask: p.VerdictsIn) -> p.VerdictsOut | None:
        """``push_verdicts`` for the push loop: None from a server too old to have the route."""
        if not self.ask_verdicts:
            return None
        try:
            return p.VerdictsOut.model_validate(self._json("POST", "/push/verdicts", ask.model_dump(), lost=True))
        except RefusedError as refused:
            if refused.status not in (404, 405, 413):  # an older server: no such route, and no body taken
                raise
            self.ask_verdicts = False
            return None

    def push_verdicts(self, ask: p.VerdictsIn) -> p.VerdictsOut:
        """What the server stored for this device's push described by ``ask`` (``held`` False: it
        holds no such push, or not all of it)."""
        return p.VerdictsOut.model_validate(self._json("POST", "/push/verdicts", ask.model_dump()))

    def pull(self, cursor: str, limit: int = p.DEFAULT_PAGE, refetch: list[p.RecordRef] | None = None, *,
             count: bool = False, standards: str | None = None, own_through: int | None = None) -> p.PullOut:
        body: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if standards is not None:
            body["standards"] = standards
        if own_through is not None:
            body["own_through"] = own_through
        if refetch:
            body["refetch"] = [r.model_dump() for r in refetch]
        if count:
            body["count"] = True
        return p.PullOut.model_validate_json(self._raw_json("POST", "/pull", body))

    def fork(self, audit_seq: int) -> p.ForkOut:
        out = p.ForkOut.model_validate(self._json("POST", "/device/fork", {"audit_seq": audit_seq}))
        self.token = out.token
        return out

    def missing_attachments(self, digests: list[str]) -> list[str]:
        if not digests:
            return []
        return p.MissingOut.model_validate(self._json("POST", "/attachments/missing", {"digests": digests})).missing

    def attachment_status(self, digest: str) -> p.AttachmentStatus | None:
        try:
            return p.AttachmentStatus.model_validate(self._json("GET", f"/attachments/{digest}"))
        except RefusedError as error:
            if error.status == 404:
                return None
            raise

    def upload_attachment(self, digest: str, data: bytes, progress: Callable[[int, int], None] | None = None) -> None:
        """Upload ``data`` in chunks, resuming after what this device already sent.

        The server answers for this device's own upload only (nobody else's bytes get in its way).
        A refused offset (a chunk whose answer was lost arrived anyway, or another sync of this
        workspace sent it) is answered by asking where the upload stands and going on from there;
        content that failed the digest check on arrival (damaged on the way) is sent once more from
        the start. Bounded: a server that keeps refusing ends in the error it gave."""
        if not data:
            return  # nothing to send (the server holds no empty content, and refuses records of it)
        current = self.attachment_status(digest)
        if current is not None and current.complete:
            return
        offset = current.received if current is not None and current.size == len(data) else 0
        restarted = False
        # Each chunk once, plus a refusal and a fresh status for each at most, plus a restart.
        for _ in range(3 * (len(data) // p.ATTACHMENT_CHUNK + 1) + 2):
            chunk = data[offset:offset + p.ATTACHMENT_CHUNK]
            try:
                response = self._request("PUT", f"/attachments/{digest}", raw=chunk,
                                         params={"size": len(data), "offset": offset})
            except RefusedError as error:
                if error.key == "sync.attachment_digest_mismatch" and not restarted:
                    restarted, offset = True, 0  # offset 0 starts this device's upload over
                    continue
                if error.key != "sync.attachment_offset":
                    raise
                current = self.attachment_status(digest)
                if current is not None and current.complete:
                    return
                offset = current.received if current is not None and current.size == len(data) else 0
                continue
            answer = p.AttachmentStatus.model_validate(response.json())
            if progress is not None:
                progress(answer.received, len(data))
            if answer.complete:
                return
            offset = answer.received
        raise RefusedError("sync.attachment_offset", 409, received=offset)

    def download_attachment(self, digest: str, size: int) -> bytes:
        out = bytearray()
        while len(out) < size or size == 0:
            response = self._request("GET", f"/attachments/{digest}/content",
                                     params={"offset": len(out), "length": p.ATTACHMENT_CHUNK})
            if not response.content:
                break
            out += response.content
            if size == 0:
                break
        return bytes(out)


class AnswerLost(Exception):
    """A request may have reached the server but its answer did not arrive; ``error`` is what a
    caller that cannot find out what became of it reports."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _never_sent(error: requests.exceptions.RequestException) -> bool:
    """Whether the request failed before any of it left (no connection could be made)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


class _CappedAdapter(requests.adapters.HTTPAdapter):
    """Hands requests each answer through ``_CappedBody``, which decodes it within its limit."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        response = super().send(request, *args, **kwargs)
        # The adapter never reads the body itself (requests does, from .raw, after this returns).
        response.raw = _CappedBody(response.raw, answer_limit(request.path_url),
                                   response.headers.get("content-encoding", ""))
        return response


class _CappedBody:
    """urllib3's response as requests reads it, except that ``stream`` reads the bytes as they came
    (urllib3 left to itself would inflate gzip without a bound) and decodes them with
    ``sync.compress`` up to ``limit``; everything else is urllib3's, so read errors keep their types."""

    def __init__(self, raw: BaseHTTPResponse, limit: int, encoding: str) -> None:
        self._raw = raw
        self.limit = limit
        self.encoding = encoding
        #: bytes as received, before decoding (what the sync's traffic counters count)
        self.wire_bytes = 0

    def stream(self, amt: int | None = 2 ** 16, decode_content: bool | None = None) -> Iterator[bytes]:
        try:
            yield from compress.decoded(self._wire(amt), self.encoding, self.limit)
        except compress.TooLarge:
            self._raw.close()  # the rest is never read; the connection is not reused
            raise AnswerTooLargeError(self.limit) from None
        except ValueError:
            self._raw.close()
            raise AnswerUndecodableError() from None

    def _wire(self, amt: int | None) -> Iterator[bytes]:
        declared = self._raw.headers.get("content-length", "")
        # No encoding makes a JSON answer larger than its decoded limit.
        if declared.isdigit() and int(declared) > self.limit:
            raise compress.TooLarge(self.encoding)
        for chunk in self._raw.stream(amt, decode_content=False):
            self.wire_bytes += len(chunk)
            if self.wire_bytes > self.limit:
                raise compress.TooLarge(self.encoding)
            yield chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def _wire_size(response: requests.Response) -> int:
    return getattr(response.raw, "wire_bytes", None) or len(response.content)


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def _release_header(response: requests.Response, name: str) -> str:
    value = response.headers.get(name, "").strip()
    return value if p.release_key(value) is not None else ""


def _unexpected_page(response: requests.Response) -> str:
    return "sync.not_sync_server" if _media_type(response) in HTML_TYPES else "sync.answer_not_json"


def _refusal(response: requests.Response, base_url: str = "") -> Exception:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    key = str(body.get("error") or "") if isinstance(body, dict) else ""
    if status >= 500:
        return ServerFailedError(status, key if key in ServerFailedError.KEYS else "sync.server_failed")
    if status == 426:
        return TooOldError(_release_header(response, p.MIN_CLIENT_HEADER) if key == "sync.client_release_too_old"
                           else "")
    if status == 410:
        return CursorGoneError()
    if key == "sync.device_revoked":
        return RevokedError()
    if not key and _media_type(response) in HTML_TYPES:
        return BadAnswerError("sync.not_sync_server", base_url or response.url)
    if key not in CATALOGUE["en"]:  # not a sync server's refusal, or one this version cannot name
        return RefusedError("sync.refused_unknown", status, code=status)
    return RefusedError(key, status, code=status)
