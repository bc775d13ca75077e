"""Payload compression for sync requests and responses.

zstd beat gzip on real sync payloads in both size and speed (figures in docs/benchmarks.md, "Sync"),
so it is preferred; gzip stays accepted for clients and proxies without zstd. Decompression is
bounded, so a small malicious body cannot expand into gigabytes (a "zip bomb").
"""

from __future__ import annotations

import io
import zlib

import zstandard

ZSTD = "zstd"
GZIP = "gzip"
ACCEPT = f"{ZSTD}, {GZIP}"
MIN_SIZE = 512  # below this, framing overhead eats the gain
ZSTD_LEVEL = 3
GZIP_LEVEL = 6
MAX_DECODED = 256 << 20

_zstd_c = zstandard.ZstdCompressor(level=ZSTD_LEVEL)


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
        return _zstd_c.compress(data)
    if codec == GZIP:
        compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush()
    raise ValueError(codec)


def decode(data: bytes, codec: str, limit: int = MAX_DECODED) -> bytes:
    """Raises ValueError for corrupt data or an unknown codec, TooLarge past ``limit``."""
    codec = codec.strip().lower()
    if codec in ("", "identity"):
        out = data
    elif codec == ZSTD:
        try:
            parts: list[bytes] = []
            total = 0
            with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
                while total <= limit:
                    part = reader.read(1 << 20)
                    if not part:
                        break
                    parts.append(part)
                    total += len(part)
            out = b"".join(parts)
        except zstandard.ZstdError as error:
            raise ValueError(str(error)) from None
    elif codec == GZIP:
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out = d.decompress(data, limit + 1)
        except zlib.error as error:
            raise ValueError(str(error)) from None
    else:
        raise ValueError(codec)
    if len(out) > limit:
        raise TooLarge(codec)
    return out
