"""The HTTP side of sync: one ``requests.Session``, a timeout on every call, retries with
exponential backoff and jitter, TLS verification always on (optionally against the organisation's
own CA file), zstd-compressed bodies, and typed errors for every refusal.

Retrying is safe for every call: pushes are deduplicated by the server's ledger (a replay gets the
stored verdicts), pulls and attachment reads are idempotent, and attachment chunks are written at
an explicit offset the server checks.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from caseapp.messages import CATALOGUE
from sync import compress
from sync import protocol as p
from sync.errors import (
    BadAnswerError,
    CursorGoneError,
    OfflineError,
    RefusedError,
    RevokedError,
    ServerFailedError,
    TooOldError,
)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: What the server sends on success: JSON, or attachment content.
ANSWER_TYPES = frozenset({"application/json", "application/octet-stream"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


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
        })
        if schema_version:  # tools without a workspace have no schema to declare
            self.session.headers[p.SCHEMA_HEADER] = str(schema_version)
        #: bytes sent and received on the wire (compressed), for benchmarks and the progress line
        self.bytes_sent = 0
        self.bytes_received = 0
        self.round_trips = 0

    def close(self) -> None:
        self.session.close()

    # -- transport ----------------------------------------------------------------------------
    def _request(self, method: str, path: str, *, body: Any = None, raw: bytes | None = None,
                 params: dict[str, Any] | None = None) -> requests.Response:
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
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
                if attempt + 1 >= self.retry.attempts:
                    raise OfflineError(self.base_url) from None
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
                # The answer was cut off mid-body, or its compression torn with it: repeat the
                # call, which is as safe as after a lost connection (see the module docstring).
                if attempt + 1 >= self.retry.attempts:
                    raise BadAnswerError("sync.answer_cut", self.base_url) from None
            else:
                self.round_trips += 1
                self.bytes_sent += len(data or b"")
                self.bytes_received += len(response.content)
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

    def _raw_json(self, method: str, path: str, body: Any = None) -> bytes:
        content = self._request(method, path, body=body).content
        if content.startswith(ZSTD_MAGIC):  # urllib3 built without zstd leaves it to us
            content = compress.decode(content, compress.ZSTD)
        return content

    def _json(self, method: str, path: str, body: Any = None) -> Any:
        return json.loads(self._raw_json(method, path, body))

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
        return p.PushOut.model_validate(self._json("POST", "/push", body))

    def pull(self, cursor: str, limit: int = p.DEFAULT_PAGE, refetch: list[p.RecordRef] | None = None, *,
             count: bool = False) -> p.PullOut:
        body: dict[str, Any] = {"cursor": cursor, "limit": limit}
        if refetch:
            body["refetch"] = [r.model_dump() for r in refetch]
        if count:
            body["count"] = True
        return p.PullOut.model_validate_json(self._raw_json("POST", "/pull", body))

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
        """Upload ``data`` in chunks, resuming after whatever the server already holds."""
        current = self.attachment_status(digest)
        offset = current.received if current is not None else 0
        if current is not None and current.complete:
            return
        while offset < len(data):
            chunk = data[offset:offset + p.ATTACHMENT_CHUNK]
            response = self._request("PUT", f"/attachments/{digest}", raw=chunk,
                                     params={"size": len(data), "offset": offset})
            offset = p.AttachmentStatus.model_validate(response.json()).received
            if progress is not None:
                progress(offset, len(data))

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


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


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
        return ServerFailedError(status)
    if status == 426:
        return TooOldError()
    if status == 410:
        return CursorGoneError()
    if key == "sync.device_revoked":
        return RevokedError()
    if not key and _media_type(response) in HTML_TYPES:
        return BadAnswerError("sync.not_sync_server", base_url or response.url)
    if key not in CATALOGUE["en"]:  # not a sync server's refusal, or one this version cannot name
        return RefusedError("sync.refused_unknown", status, code=status)
    return RefusedError(key, status, code=status)
