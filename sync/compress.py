"""Payload compression for sync requests and responses.

zstd beat gzip on real sync payloads in both size and speed (figures in docs/benchmarks.md, "Sync"),
so it is preferred; gzip stays accepted for clients and proxies without zstd.

Decoding is bounded and streaming: whoever decodes says how large the result may be (the server
per route, the client per answer), and the decoder asks zlib or zstd for no more than what is
still allowed, so a small hostile body (a "zip bomb": 3 KB of zstd can claim gigabytes) never
expands in memory past that limit; one byte past it is ``TooLarge``. zstd frames may also not
demand a larger history window than ``MAX_WINDOW``, which the decoder would otherwise allocate
whatever the limit.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, cast

import zstandard

ZSTD = "zstd"
GZIP = "gzip"
IDENTITY = "identity"
ACCEPT = f"{ZSTD}, {GZIP}"
MIN_SIZE = 512  # below this, framing overhead eats the gain
ZSTD_LEVEL = 3
GZIP_LEVEL = 6
#: the decoded bytes asked of zlib or zstd at a time
PART = 1 << 20
#: zstd's level 3 uses a 2 MiB window on large inputs, level 19 8 MiB: room for any level we might
#: pick, and a frame that asks for more is refused before its window is allocated
MAX_WINDOW = 8 << 20

# One compressor per thread: a ZstdCompressor must not be used by two threads at once. The server
# compresses answers on the event loop and in its body workers at the same time; one shared
# compressor gave corrupt frames and killed the process (SIGSEGV) under 200 devices' load.
_local = threading.local()


def _zstd_compressor() -> zstandard.ZstdCompressor:
    compressor: zstandard.ZstdCompressor | None = getattr(_local, "zstd", None)
    if compressor is None:
        compressor = _local.zstd = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
    return compressor


class TooLarge(ValueError):
    """The decoded payload would exceed the limit."""


def choose(accept_encoding: str) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
    if ZSTD in offered:
        return ZSTD
    if GZIP in offered:
        return GZIP
    return None


def encode(data: bytes, codec: str) -> bytes:
    if codec == ZSTD:
        return _zstd_compressor().compress(data)
    if codec == GZIP:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush()
    raise ValueError(codec)


def is_identity(codec: str) -> bool:
    return codec.strip().lower() in ("", IDENTITY)


def json_values(data: bytes) -> int:
    """An upper bound on the values (objects, arrays, members, items) of the JSON text ``data``,
    found without parsing it: each container has a bracket and each value after its container's first
    follows a comma. Commas and brackets inside strings count as well, so it never counts too few."""
    return data.count(b",") + data.count(b"{") + data.count(b"[") + 1


def decode(data: bytes, codec: str, limit: int) -> bytes:
    """``data`` decoded; ValueError for corrupt data or an unknown codec, TooLarge past ``limit``."""
    out = bytearray()
    for part in decoded((data,), codec, limit):
        out += part
    return bytes(out)


def decoded(chunks: Iterable[bytes], codec: str, limit: int) -> Iterator[bytes]:
    """The decoded stream of ``chunks`` (the encoded body as it arrives), in parts of at most
    ``PART`` bytes. All parts together never exceed ``limit``: the decoder is never asked for
    more than one byte past it, and that byte raises ``TooLarge``."""
    codec = codec.strip().lower()
    if codec in ("", IDENTITY):
        parts = _identity(chunks)
    elif codec == ZSTD:
        parts = _zstd(chunks, limit)
    elif codec == GZIP:
        parts = _gzip(chunks, limit)
    else:
        raise ValueError(codec)
    total = 0
    for part in parts:
        total += len(part)
        if total > limit:
            raise TooLarge(codec or IDENTITY)
        yield part


def _identity(chunks: Iterable[bytes]) -> Iterator[bytes]:
    yield from chunks


def _gzip(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    total = 0
    try:
        for chunk in chunks:
            data = chunk
            while data:
                part = d.decompress(data, min(PART, limit + 1 - total))
                data = d.unconsumed_tail
                if d.eof and d.unused_data:  # the next member of a multi-member gzip stream
                    data = d.unused_data
                    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
                total += len(part)
                yield part
    except zlib.error as error:
        raise ValueError(str(error)) from None
    if not d.eof:
        raise ValueError("truncated gzip stream")


def _zstd(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    source = _ChunkReader(chunks)
    try:
        declared = zstandard.get_frame_parameters(source.head(_ZSTD_HEADER)).content_size
    except zstandard.ZstdError:
        declared = zstandard.CONTENTSIZE_UNKNOWN  # too short to say: the decoder reports it
    if declared != zstandard.CONTENTSIZE_UNKNOWN and declared > limit:
        raise TooLarge(ZSTD)  # the frame says so itself: refused before decoding a byte
    total = 0
    try:
        with zstandard.ZstdDecompressor(max_window_size=MAX_WINDOW).stream_reader(
                cast(IO[bytes], source), read_across_frames=True) as reader:
            while part := reader.read(min(PART, limit + 1 - total)):
                total += len(part)
                yield part
    except zstandard.ZstdError as error:
        raise ValueError(str(error)) from None
    if declared != zstandard.CONTENTSIZE_UNKNOWN and total < declared:
        raise ValueError("truncated zstd frame")


_ZSTD_HEADER = 18  # the longest frame header


class _ChunkReader:
    """A readable source over an iterable of byte chunks, which is what zstd's stream reader reads
    (it only ever calls ``read``)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._view = memoryview(b"")

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes (fewer if the stream is shorter), left unread."""
        while len(self._view) < size:
            nxt = next(self._chunks, None)
            if nxt is None:
                break
            self._view = memoryview(self._view.tobytes() + nxt)
        return self._view[:size].tobytes()

    def read(self, size: int = -1) -> bytes:
        while not self._view:
            nxt = next(self._chunks, None)
            if nxt is None:
                return b""
            self._view = memoryview(nxt)
        if size < 0:
            size = len(self._view)
        out = self._view[:size].tobytes()
        self._view = self._view[size:]
        return out
